/**
 * The multi-set liveness tools on real frames (../shared/data/nuaa and ../shared/data/spoof, read in
 * place): the manifest reader, the per-set / per-medium report, the one threshold across sets, the
 * subject-wise folds, the logistic fusion fit, and the padded crop variants.
 */
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNodeEngine, decodeNodeImage, DEFAULT_MODELS_DIR, fileModelLoader, LIVENESS_CUES, LIVENESS_INPUT, LIVENESS_SPEC, livenessCrop, livenessCues,
  liveLogit, livenessScore, Model, prepareLivenessInput, rankFaces, type Detection, type FaceEngine, type RgbaImage,
} from 'face-compare-sdk/internal';
import { DEFAULT_FOLDERS, readLabelledFolder, type LabelledFrame } from '../liveness/sets.js';
import { chooseSharedThreshold, meanAcer, reportBySet, subjectFolds, type SetFrame } from '../liveness/sets-metrics.js';
import { applyFusion, balancedWeights, fitLogistic, type FitRow } from '../liveness/fuse.js';
import { livenessRect, variantLivenessInput, warpPadded } from '../liveness/crop-variants.js';

const all = DEFAULT_FOLDERS.flatMap(readLabelledFolder);
// Every 20th NUAA frame, every 6th MSU-MFSD / OULU-NPU frame: all three sets, every class.
const subset = all.filter((f, i) => i % (f.set === 'nuaa' ? 20 : 6) === 0);
const rows: (LabelledFrame & { model: number; cues: number[]; image: RgbaImage; det: Detection })[] = [];
let engine: FaceEngine;
let model: Model;
beforeAll(async () => {
  engine = await createNodeEngine();
  model = await Model.load('fr_liveness', fileModelLoader(DEFAULT_MODELS_DIR), { ort });
  for (const f of subset) {
    const { image } = await decodeNodeImage(f.path);
    const [det] = rankFaces(await engine.detect(image), image.width, image.height);
    const out = await model.run(prepareLivenessInput(image, det), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT]);
    rows.push({ ...f, model: livenessScore(out.output), cues: livenessCues(image, det), image, det });
  }
});
afterAll(async () => { await model?.release(); await engine?.dispose(); });

describe('readLabelledFolder', () => {
  it('reads NUAA labels.csv and the MSU-MFSD / OULU-NPU manifest.csv into sets, classes, media and subjects', () => {
    const count = (pred: (f: LabelledFrame) => boolean) => all.filter(pred).length;
    expect(count((f) => f.set === 'nuaa')).toBe(1000);
    expect(count((f) => f.set === 'nuaa' && f.cls === 'live')).toBe(500);
    expect(new Set(all.filter((f) => f.set === 'nuaa' && f.cls !== 'live').map((f) => f.medium))).toEqual(new Set(['printed_photo']));
    expect(count((f) => f.set === 'msu')).toBe(60);
    expect(new Set(all.filter((f) => f.set === 'msu' && f.cls === 'replay').map((f) => f.medium))).toEqual(new Set(['ipad_air_video', 'iphone_5s_video']));
    expect(count((f) => f.set === 'oulu')).toBe(688);
    // Subjects never shared between sets; every live frame's medium is 'live'.
    for (const s of ['nuaa', 'msu', 'oulu']) {
      const mine = new Set(all.filter((f) => f.set === s).map((f) => f.subject));
      expect(all.some((f) => f.set !== s && mine.has(f.subject))).toBe(false);
    }
    expect(all.every((f) => (f.cls === 'live') === (f.medium === 'live'))).toBe(true);
  });
});

describe('per-set report and the one threshold across sets', () => {
  const frames = (): SetFrame[] => rows.map((r) => ({ set: r.set, cls: r.cls, medium: r.medium, subject: r.subject, score: r.model }));

  it('counts per set and medium agree with the rates', () => {
    const rep = reportBySet(frames(), 0.31);
    expect(Object.keys(rep).sort()).toEqual(['msu', 'nuaa', 'oulu']);
    for (const [set, r] of Object.entries(rep)) {
      const mine = rows.filter((x) => x.set === set);
      expect(r.live).toBe(mine.filter((x) => x.cls === 'live').length);
      expect(r.live_refused).toBe(mine.filter((x) => x.cls === 'live' && x.model < 0.31).length);
      for (const [m, c] of Object.entries(r.media)) {
        expect(c.accepted).toBe(mine.filter((x) => x.medium === m && x.model >= 0.31).length);
        expect(r.apcer[m]).toBeCloseTo(c.accepted / c.frames, 12);
      }
      expect(r.apcer_max).toBe(Math.max(...Object.values(r.apcer)));
    }
  });

  it('chooses the threshold with the lowest mean ACER over the sets, from inside the tying range', () => {
    const f = frames();
    const chosen = chooseSharedThreshold(f);
    expect(meanAcer(f, chosen.threshold)).toBeCloseTo(chosen.acer, 12);
    // No score (each is a threshold with its own errors) does better.
    for (const t of new Set(f.map((x) => x.score))) expect(meanAcer(f, t)).toBeGreaterThanOrEqual(chosen.acer - 1e-12);
    expect(chosen.threshold).toBeGreaterThan(chosen.range[0]);
    expect(chosen.threshold).toBeLessThanOrEqual(chosen.range[1]);
    expect(meanAcer(f, chosen.range[1])).toBeCloseTo(chosen.acer, 12);
  });

  it('subject-wise folds: no subject in two folds, every set spread over the folds', () => {
    const folds = subjectFolds(all, 5);
    expect(new Set(all.map((f) => f.subject)).size).toBe(folds.size);
    for (const s of ['nuaa', 'msu', 'oulu']) {
      const used = new Set(all.filter((f) => f.set === s).map((f) => folds.get(f.subject)));
      expect(used.size).toBe(5);
    }
  });
});

describe('fitLogistic', () => {
  const fitRows = (): FitRow[] => rows.map((r) => ({ x: [liveLogit(r.model), ...r.cues], live: r.cls === 'live', set: r.set }));
  const inputs = ['model_logit', ...LIVENESS_CUES];

  it('weights each set the same, and within it live and attack frames the same', () => {
    const rs = fitRows(), w = balancedWeights(rs);
    for (const s of ['nuaa', 'msu', 'oulu']) {
      for (const live of [true, false]) {
        const sum = w.filter((_, i) => rs[i].set === s && rs[i].live === live).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(0.5, 12);
      }
    }
  });

  it('reaches the optimum of its penalised loss on real cues, and no worse a loss than the model score alone', () => {
    const rs = fitRows(), lambda = 1e-2;
    const m = fitLogistic(rs, inputs, lambda);
    const w = balancedWeights(rs), total = w.reduce((a, b) => a + b, 0);
    // Gradient of Σ w·logloss / Σ w + λ/2·|weights|² at the solution.
    const grad = new Array<number>(inputs.length + 1).fill(0);
    rs.forEach((r, i) => {
      const p = applyFusion(m, r.x), e = (w[i] / total) * (p - (r.live ? 1 : 0));
      grad[0] += e;
      r.x.forEach((v, j) => { grad[j + 1] += e * ((v - m.mean[j]) / m.std[j]); });
    });
    m.weights.forEach((v, j) => { grad[j + 1] += lambda * v; });
    expect(Math.max(...grad.map(Math.abs))).toBeLessThan(1e-8);
    const loss = (f: (x: number[]) => number) => rs.reduce((a, r, i) => a - (w[i] / total) * Math.log(r.live ? f(r.x) : 1 - f(r.x)), 0);
    const alone = fitLogistic(rs.map((r) => ({ ...r, x: [r.x[0]] })), ['model_logit'], lambda);
    expect(loss((x) => applyFusion(m, x))).toBeLessThan(loss((x) => applyFusion(alone, [x[0]])));
  });
});

describe('crop variants', () => {
  it("'edge' padding equals the shipped crop where the crop fits, and repeats the edge pixel where it does not", () => {
    const fits = rows.find((r) => { const c = livenessCrop(r.det, r.image.width, r.image.height); return Math.abs(c.w - 2.7 * (r.det.x2 - r.det.x1)) < 1e-6 && c.x > 0 && c.y > 0; })!;
    expect(variantLivenessInput(fits.image, fits.det, { pad: 'edge' })).toEqual(prepareLivenessInput(fits.image, fits.det));
    const close = rows.find((r) => r.set === 'oulu')!; // a 224x224 close-up: the 2.7x crop leaves the image on every side
    const rect = livenessRect(close.det, close.image.width, close.image.height, 2.7, 'edge');
    expect(rect.x).toBeLessThan(0);
    const t = warpPadded(close.image, rect, LIVENESS_INPUT, LIVENESS_SPEC, 'edge');
    const row = 64 * LIVENESS_INPUT;
    expect(t[row + 0]).toBe(t[row + 1]); // column 0 and 1 are both outside: both the first inside column
    const m = variantLivenessInput(close.image, close.det, { pad: 'mirror' });
    expect(m).not.toEqual(t);
    const flipped = variantLivenessInput(close.image, close.det, { pad: 'edge', flip: true });
    expect(flipped[row + 0]).toBe(t[row + LIVENESS_INPUT - 1]);
  });
});
