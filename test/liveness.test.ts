/**
 * Liveness on real print and screen-replay attacks (NUAA frames, ../shared/data/nuaa/; MSU-MFSD and
 * OULU-NPU frames, ../shared/data/spoof/) with the real model, in Node: the crop geometry, the channel
 * order, the fused decision rule and its documented error counts on each set, the compareFaces check
 * (SPOOF_SUSPECTED), the frame gate on real sequences, and the model's lazy loading.
 */
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVENESS_THRESHOLD } from '../src/contract/liveness.js';
import { FaceError } from '../src/contract/errors.js';
import {
  fuseLiveness, LIVENESS_CUES, LIVENESS_FUSION, LIVENESS_INPUT, LIVENESS_SPEC, livenessCrop, livenessCues, livenessScore, prepareLivenessInput,
} from '../src/pipeline/liveness.js';
import { rankFaces } from '../src/pipeline/detect.js';
import { FaceEngine } from '../src/engine/face-engine.js';
import { Model, type ModelLoader } from '../src/runtime/session.js';
import { rocAuc } from '../src/node/metrics.js';
import { createFaceRecognizer, type NodeFaceRecognizer } from '../src/node/index.js';
import { decodeNodeImage, DEFAULT_MODELS_DIR, fileModelLoader } from '../src/internal.js';
import { createLivenessGate } from '../src/browser/liveness-gate.js';
import { NUAA_IMAGES, nuaaFrames, type NuaaFrame } from './support/nuaa.js';
import { SPOOF, spoofFrames, type SpoofFrame } from './support/spoof.js';
import { LFW } from './helpers.js';

// docs/liveness.md, on every frame of each set at LIVENESS_THRESHOLD (the fused score): live frames
// refused and attacks accepted. A subset of a set cannot have more errors than the whole set.
const DOC = {
  nuaa: { liveRefused: 4, printsAccepted: 0 },
  msu: { liveRefused: 0, printsAccepted: 0, replaysAccepted: 0 },
  oulu: { liveRefused: 19, printsAccepted: 20, replaysAccepted: 22 },
};
/** The model-only threshold that shipped before the fusion (docs/liveness.md, "before"). */
const MODEL_ONLY_THRESHOLD = 0.31;

let fr: NodeFaceRecognizer;
beforeAll(async () => { fr = await createFaceRecognizer(); });
afterAll(() => fr?.dispose());

describe('liveness crop', () => {
  it('is the box scaled 2.7x around its centre when that fits', () => {
    const r = livenessCrop({ x1: 300, y1: 200, x2: 340, y2: 250 }, 640, 480);
    expect(r.w).toBeCloseTo(40 * 2.7, 9);
    expect(r.h).toBeCloseTo(50 * 2.7, 9);
    expect(r.x + r.w / 2).toBeCloseTo(320, 9);
    expect(r.y + r.h / 2).toBeCloseTo(225, 9);
  });

  it('is shifted, not cut, at the image border, and shrinks only when it cannot fit', () => {
    const corner = livenessCrop({ x1: 0, y1: 0, x2: 100, y2: 120 }, 640, 480);
    expect(corner).toMatchObject({ x: 0, y: 0, w: 270 });
    expect(corner.h).toBeCloseTo(324, 9);
    const right = livenessCrop({ x1: 560, y1: 380, x2: 640, y2: 480 }, 640, 480);
    expect(right.x + right.w).toBeCloseTo(640, 9);
    expect(right.y + right.h).toBeCloseTo(480, 9);
    expect(right.w).toBeCloseTo(80 * 2.7, 9);
    const big = livenessCrop({ x1: 100, y1: 40, x2: 400, y2: 440 }, 640, 480);
    expect(big.h).toBeCloseTo(480, 9); // 2.7x would be 1080 px tall: the largest crop that fits
    expect(big.w / big.h).toBeCloseTo(300 / 400, 9);
    expect(big.x).toBeGreaterThanOrEqual(0);
    expect(big.x + big.w).toBeLessThanOrEqual(640 + 1e-9);
  });

  it('the score is a stable softmax, class 0', () => {
    expect(livenessScore([0, 0, 0])).toBeCloseTo(1 / 3, 12);
    expect(livenessScore([1000, 0, 0])).toBe(1);
    expect(livenessScore([-1000, 5, 5])).toBe(0);
  });
});

describe('on NUAA frames (every 10th: 50 live, 50 print)', () => {
  const subset = nuaaFrames().filter((_, i) => i % 10 === 0);
  /** bgr / rgb: fr_liveness's own score with each channel order; fused: the SDK's score (engine.livenessScore). */
  const scored: { frame: NuaaFrame; bgr: number; rgb: number; fused: number }[] = [];

  beforeAll(async () => {
    const engine = await FaceEngine.create({ ort, loader: fileModelLoader(DEFAULT_MODELS_DIR) });
    const model = await Model.load('fr_liveness', fileModelLoader(DEFAULT_MODELS_DIR), { ort });
    try {
      for (const frame of subset) {
        const { image } = await decodeNodeImage(NUAA_IMAGES + frame.image);
        const [det] = rankFaces(await engine.detect(image), image.width, image.height);
        const fused = await engine.livenessScore(image, det);
        const bgr = livenessScore((await model.run(prepareLivenessInput(image, det), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT])).output);
        const rgbIn = prepareLivenessInput(image, det, { ...LIVENESS_SPEC, channels: [0, 1, 2] });
        const rgb = livenessScore((await model.run(rgbIn, [1, 3, LIVENESS_INPUT, LIVENESS_INPUT])).output);
        scored.push({ frame, bgr, rgb, fused });
      }
    } finally {
      await model.release();
      await engine.dispose();
    }
  }, 120_000);

  it('the subset is balanced and every frame has a face', () => {
    expect(scored.filter((s) => s.frame.live)).toHaveLength(50);
    expect(scored.filter((s) => !s.frame.live)).toHaveLength(50);
  });

  it('BGR input separates live from print far better than RGB (the shipped channel order)', () => {
    const auc = (k: 'bgr' | 'rgb') => rocAuc(scored.map((s) => ({ score: s[k], same: s.frame.live })));
    expect(auc('bgr')).toBeGreaterThan(0.995);
    expect(auc('rgb')).toBeLessThan(auc('bgr') - 0.02);
  });

  it('errors at LIVENESS_THRESHOLD are within the documented full-set counts', () => {
    const printsAccepted = scored.filter((s) => !s.frame.live && s.fused >= LIVENESS_THRESHOLD).length;
    const liveRefused = scored.filter((s) => s.frame.live && s.fused < LIVENESS_THRESHOLD).length;
    expect(printsAccepted).toBeLessThanOrEqual(DOC.nuaa.printsAccepted);
    expect(liveRefused).toBeLessThanOrEqual(DOC.nuaa.liveRefused);
    expect(rocAuc(scored.map((s) => ({ score: s.fused, same: s.frame.live })))).toBeGreaterThan(0.995);
  });

  it('fr.liveness gives the engine score, the threshold, the decision and the box in source pixels', async () => {
    for (const s of [scored.find((x) => x.frame.live)!, scored.find((x) => !x.frame.live)!]) {
      const r = await fr.liveness(NUAA_IMAGES + s.frame.image);
      expect(Math.abs(r.score - s.fused)).toBeLessThan(1e-4); // the recognizer may run another ORT build or thread count
      expect(r).toMatchObject({ live: s.frame.live, threshold: LIVENESS_THRESHOLD });
      expect(r.box.x2).toBeGreaterThan(r.box.x1 + 40);
      expect(r.box.y2).toBeGreaterThan(r.box.y1 + 40);
    }
  });

  it('livenessThreshold moves the decision (and the deprecated `threshold` still does, the same way)', async () => {
    const print = scored.find((x) => !x.frame.live)!;
    const below = print.bgr / 2; // a threshold under this print's score: now it passes as live
    for (const options of [{ livenessThreshold: below }, { threshold: below }]) {
      const r = await fr.liveness(NUAA_IMAGES + print.frame.image, options);
      expect(r).toMatchObject({ live: true, threshold: below });
    }
    expect(await fr.liveness(NUAA_IMAGES + print.frame.image, { livenessThreshold: below, threshold: 0.99 })).toMatchObject({ threshold: below });
  });

  it('the frame gate says live on a live sequence and never on a print sequence', () => {
    // Frames of one session sorted by frame number are a stretch of video.
    const frameNo = (s: { frame: NuaaFrame }) => Number(s.frame.image.match(/_(\d+)\.jpg$/)![1]);
    const sequence = (live: boolean) => scored.filter((s) => s.frame.live === live).sort((a, b) => a.frame.image.localeCompare(b.frame.image) || frameNo(a) - frameNo(b));
    const gate = createLivenessGate();
    const states = sequence(true).map((s) => gate.push(s.fused).state);
    expect(states.slice(0, 2)).toEqual(['checking', 'checking']);
    expect(states.filter((x) => x === 'live').length).toBeGreaterThan(40);
    gate.reset();
    expect(sequence(false).map((s) => gate.push(s.fused).state).every((x) => x === 'print')).toBe(true);
  });
});

describe('the fused rule on MSU-MFSD (every frame) and OULU-NPU (every 4th frame) prints and screen replays', () => {
  const frames = spoofFrames().filter((f, i) => f.dataset === 'msu' || i % 4 === 0);
  const scored: { frame: SpoofFrame; model: number; fused: number; cues: number[] }[] = [];

  beforeAll(async () => {
    const engine = await FaceEngine.create({ ort, loader: fileModelLoader(DEFAULT_MODELS_DIR) });
    const model = await Model.load('fr_liveness', fileModelLoader(DEFAULT_MODELS_DIR), { ort });
    try {
      for (const frame of frames) {
        const { image } = await decodeNodeImage(SPOOF + frame.file);
        const [det] = rankFaces(await engine.detect(image), image.width, image.height);
        const fused = await engine.livenessScore(image, det);
        const own = livenessScore((await model.run(prepareLivenessInput(image, det), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT])).output);
        scored.push({ frame, model: own, fused, cues: livenessCues(image, det) });
      }
    } finally {
      await model.release();
      await engine.dispose();
    }
  }, 300_000);

  const of = (set: 'msu' | 'oulu') => scored.filter((s) => s.frame.dataset === set);
  const errors = (v: typeof scored, key: 'model' | 'fused', t: number) => ({
    liveRefused: v.filter((s) => s.frame.cls === 'live' && s[key] < t).length,
    printsAccepted: v.filter((s) => s.frame.cls === 'print' && s[key] >= t).length,
    replaysAccepted: v.filter((s) => s.frame.cls === 'replay' && s[key] >= t).length,
  });
  const auc = (v: typeof scored, key: 'model' | 'fused', attack: 'print' | 'replay') =>
    rocAuc(v.filter((s) => s.frame.cls === 'live' || s.frame.cls === attack).map((s) => ({ score: s[key], same: s.frame.cls === 'live' })));

  it('a face in every frame; the engine score is the model score fused with the cues', () => {
    expect(scored).toHaveLength(frames.length);
    expect(of('msu')).toHaveLength(60);
    expect(new Set(of('oulu').map((s) => s.frame.cls))).toEqual(new Set(['live', 'print', 'replay']));
    for (const s of scored) {
      expect(s.cues).toHaveLength(LIVENESS_CUES.length);
      expect(s.cues.every(Number.isFinite)).toBe(true);
      expect(s.fused).toBeCloseTo(fuseLiveness(s.model, s.cues), 6);
    }
  });

  it('MSU-MFSD: the model alone at its old threshold accepted prints and replays; the fused rule refuses every attack and no live face', () => {
    const before = errors(of('msu'), 'model', MODEL_ONLY_THRESHOLD);
    expect(before.printsAccepted).toBeGreaterThan(0);
    expect(before.replaysAccepted).toBeGreaterThan(0);
    expect(errors(of('msu'), 'fused', LIVENESS_THRESHOLD)).toEqual(DOC.msu);
  });

  it('OULU-NPU close-ups: the fused score separates better than the model alone, errors within the documented counts', () => {
    const v = of('oulu');
    for (const attack of ['print', 'replay'] as const) expect(auc(v, 'fused', attack)).toBeGreaterThan(auc(v, 'model', attack));
    const after = errors(v, 'fused', LIVENESS_THRESHOLD);
    expect(after.liveRefused).toBeLessThanOrEqual(DOC.oulu.liveRefused);
    expect(after.printsAccepted).toBeLessThanOrEqual(DOC.oulu.printsAccepted);
    expect(after.replaysAccepted).toBeLessThanOrEqual(DOC.oulu.replaysAccepted);
    // The old rule refused far more live close-ups (30 of 172 on the whole set).
    expect(errors(v, 'model', MODEL_ONLY_THRESHOLD).liveRefused).toBeGreaterThan(after.liveRefused);
  });

  it('the fusion raises the score with the model score, all cues fixed', () => {
    expect(LIVENESS_FUSION.weights[0]).toBeGreaterThan(0);
    const s = scored[0];
    expect(fuseLiveness(0.9, s.cues)).toBeGreaterThan(fuseLiveness(0.1, s.cues));
  });
});

describe('liveness gate', () => {
  it('needs N consecutive live frames; a print frame or a lost face starts over', () => {
    const gate = createLivenessGate({ frames: 3, threshold: 0.5 });
    expect(gate.decision.state).toBe('no-face');
    expect([0.9, 0.8].map((s) => gate.push(s).state)).toEqual(['checking', 'checking']);
    expect(gate.push(0.1)).toMatchObject({ state: 'print', streak: 0, score: 0.1 });
    expect([0.9, 0.9, 0.9].map((s) => gate.push(s).state)).toEqual(['checking', 'checking', 'live']);
    expect(gate.push(null)).toMatchObject({ state: 'no-face', streak: 0 });
    expect(gate.push(0.5)).toMatchObject({ state: 'checking', streak: 1, needed: 3 });
    expect(() => createLivenessGate({ frames: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe('compareFaces({ liveness })', () => {
  const frames = nuaaFrames();
  // A print and a live frame of the same subject (0003).
  const print = NUAA_IMAGES + frames.find((f) => !f.live && f.subject === '0003')!.image;
  const person = NUAA_IMAGES + frames.find((f) => f.live && f.subject === '0003')!.image;

  it('rejects a printed photo as image 2 with SPOOF_SUSPECTED, and keeps working after', async () => {
    const err = await fr.compareFaces(person, print, { liveness: 'image2' }).catch((e) => e);
    expect(err).toBeInstanceOf(FaceError);
    expect(err).toMatchObject({ code: 'SPOOF_SUSPECTED', details: { image: 2, threshold: LIVENESS_THRESHOLD } });
    expect(err.details.score).toBeLessThan(LIVENESS_THRESHOLD);
    // The same pair without the check compares (the print is a good likeness); image 1 is not checked with 'image2'.
    expect((await fr.compareFaces(person, print)).compare_result).toBe('Same person');
    expect((await fr.compareFaces(print, person, { liveness: 'image2' })).compare_result).toBe('Same person');
    const both = await fr.compareFaces(print, person, { liveness: 'both' }).catch((e) => e);
    expect(both).toMatchObject({ code: 'SPOOF_SUSPECTED', details: { image: 1 } });
  });

  it('errors as analyze: INVALID_OPTIONS, NO_FACE, IMAGE_DECODE, ABORTED', async () => {
    await expect(fr.compareFaces(person, person, { liveness: 'yes' as 'both' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(fr.liveness(person, { threshold: 2 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const sharp = (await import('sharp')).default;
    const background = await sharp(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`).extract({ left: 0, top: 0, width: 60, height: 60 }).resize(240, 240).jpeg().toBuffer();
    await expect(fr.liveness(background)).rejects.toMatchObject({ code: 'NO_FACE', details: { image: 1 } });
    await expect(fr.liveness(Buffer.from('not an image'))).rejects.toMatchObject({ code: 'IMAGE_DECODE' });
    await expect(fr.liveness(person, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await fr.liveness(person)).live).toBe(true); // and the recognizer answers the next call
  });
});

describe('lazy loading', () => {
  it('fr_liveness is read only on the first liveness call, once', async () => {
    const asked: string[] = [];
    const files = fileModelLoader(DEFAULT_MODELS_DIR);
    const loader: ModelLoader = (info, name) => { asked.push(name); return files(info, name); };
    const engine = await FaceEngine.create({ ort, loader });
    try {
      const a = await decodeNodeImage(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`);
      const b = await decodeNodeImage(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0002.jpg`);
      await engine.compare(a, b);
      expect(asked).not.toContain('fr_liveness');
      await engine.liveness(a);
      await engine.compare(a, b, { liveness: 'both' });
      expect(asked.filter((n) => n === 'fr_liveness')).toHaveLength(1);
    } finally {
      await engine.dispose();
    }
  });
});
