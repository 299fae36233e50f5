/**
 * Each per-face field on labelled real faces with the real models: AFW (landmarks, pose), Yale
 * (eyes, mouth, light), LFW (occlusion, quality). Subsets keep this file near 30 s; the full
 * figures come from tools/attributes/eval-attributes.ts (docs/attributes.md). Tolerances sit between the
 * measured values and what a broken convention or model would give.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headPose } from '../src/pipeline/attributes/index.js';
import type { Detection } from '../src/pipeline/detect.js';
import type { AnalyzedFace, FaceEngine } from '../src/engine/face-engine.js';
import type { RgbaImage } from '../src/pipeline/image.js';
import { boxCrop } from '../src/pipeline/landmarks.js';
import { nme } from './support/nme.js';
import { rocAuc } from '../src/node/metrics.js';
import { createNodeEngine, decodeNodeImage } from '../src/internal.js';
import { coverage, paint, regionShape, solid, type Region } from './support/occluders.js';
import { downscale, fromPlanar, gaussianBlur, mirror, scaleBrightness, toPlanar } from './support/transforms.js';
import { AFW, afwFaces, DATA, LFW } from './helpers.js';

const YALE = `${DATA}yalefaces/images/`;
let engine: FaceEngine;
beforeAll(async () => { engine = await createNodeEngine(); });
afterAll(() => engine.dispose());

const main = async (img: RgbaImage): Promise<AnalyzedFace> => (await engine.mainFace({ image: img, toSource: 1 })).value;
const load = async (path: string) => (await decodeNodeImage(path)).image;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const lfwTest = [...new Set(readFileSync(`${DATA}lfw-view1/pairs_test.csv`, 'utf8').trim().split('\n').slice(1).flatMap((l) => l.split(',').slice(0, 2)))];

/** The first 25 AFW photos: ~45 faces, several turned beyond 30°. */
const afw = (() => {
  const byImage = new Map<string, number[][]>();
  for (const f of afwFaces()) byImage.set(f.image, [...(byImage.get(f.image) ?? []), f.points.flat()]);
  return [...byImage.entries()].slice(0, 25);
})();
function matchBox(boxes: Detection[], pts: number[]): Detection | undefined {
  const xs = pts.filter((_, i) => i % 2 === 0), ys = pts.filter((_, i) => i % 2 === 1);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  return boxes.find((b) => b.x1 < cx && cx < b.x2 && b.y1 < cy && cy < b.y2);
}

describe('landmarks and pose on AFW', () => {
  const rows: { first: number; shipped: number; truth: ReturnType<typeof headPose>; fit: ReturnType<typeof headPose>; mirrored?: ReturnType<typeof headPose> }[] = [];
  beforeAll(async () => {
    for (const [image, faces] of afw) {
      const p = await decodeNodeImage(`${AFW}images/${image}`);
      const boxes = await engine.detect(p.image);
      const m = mirror(p.image), mboxes = await engine.detect(m);
      for (const raw of faces) {
        const truth = raw.map((v) => v / p.toSource), box = matchBox(boxes, truth);
        if (!box) continue;
        const pts = await engine.landmarks(p.image, box);
        const first = await engine.landmarksInCrop(p.image, boxCrop(box));
        const mTruth = truth.map((v, i) => (i % 2 ? v : p.image.width - v));
        const mbox = matchBox(mboxes, mTruth);
        rows.push({
          first: nme(first, truth), shipped: nme(pts, truth), truth: headPose(Float32Array.from(truth)), fit: headPose(pts),
          mirrored: mbox ? headPose(await engine.landmarks(m, mbox)) : undefined,
        });
      }
    }
  }, 60_000);

  it('NME ≈ 4 % (4.08 % on all of AFW): below 4.8 % here, and the second pass helps', () => {
    const shipped = mean(rows.map((r) => r.shipped)), first = mean(rows.map((r) => r.first));
    expect(rows.length).toBeGreaterThan(35);
    expect(shipped).toBeLessThan(0.048);
    expect(shipped).toBeLessThan(first);
    expect(rows.filter((r) => r.shipped > 0.1).length).toBeLessThanOrEqual(1);
  });
  it('pose from the predicted points agrees with the annotated points\' fit', () => {
    const err = (k: 'yaw' | 'pitch' | 'roll') => mean(rows.map((r) => Math.abs(r.fit[k] - r.truth[k])));
    expect(err('yaw')).toBeLessThan(3);
    expect(err('pitch')).toBeLessThan(3.5);
    expect(err('roll')).toBeLessThan(2);
  });
  it('mirrored photos flip yaw and roll and keep pitch', () => {
    const m = rows.filter((r) => r.mirrored);
    expect(m.length).toBeGreaterThan(30);
    expect(mean(m.map((r) => Math.abs(r.fit.yaw + r.mirrored!.yaw)))).toBeLessThan(2.5);
    expect(mean(m.map((r) => Math.abs(r.fit.roll + r.mirrored!.roll)))).toBeLessThan(1.5);
    expect(mean(m.map((r) => Math.abs(r.fit.pitch - r.mirrored!.pitch)))).toBeLessThan(2);
    const turned = m.filter((r) => Math.abs(r.fit.yaw) > 10);
    expect(turned.every((r) => Math.sign(r.fit.yaw) === -Math.sign(r.mirrored!.yaw))).toBe(true);
  });
});

describe('eyes, mouth and light on Yale', () => {
  const faces = new Map<string, AnalyzedFace['face']>();
  const wink = JSON.parse(readFileSync(new URL('./fixtures/yale-wink.json', import.meta.url), 'utf8')).closed as Record<string, string>;
  const winks = Object.keys(wink).filter((k) => wink[k] === 'left');
  const mirrored = new Map<string, AnalyzedFace['face']>();
  const subjects = Array.from({ length: 15 }, (_, i) => `subject${String(i + 1).padStart(2, '0')}`);
  beforeAll(async () => {
    for (const s of subjects) {
      for (const c of ['normal', 'surprised', 'sleepy', 'wink']) faces.set(`${s}.${c}`, (await main(await load(`${YALE}${s}.${c}`))).face);
    }
    for (const w of winks) mirrored.set(w, (await main(mirror(await load(YALE + w)))).face);
  }, 60_000);

  it('left_eye_closed is the subject\'s left eye: it reads closed on the labelled winks', () => {
    const ok = winks.filter((w) => faces.get(w)!.left_eye_closed > faces.get(w)!.right_eye_closed);
    expect(ok.length).toBeGreaterThanOrEqual(11); // 12 of 14 measured
    expect(mean(winks.map((w) => faces.get(w)!.left_eye_closed))).toBeGreaterThan(0.5);
    expect(mean(winks.map((w) => faces.get(w)!.right_eye_closed))).toBeLessThan(0.25);
  });
  it('mirrored, the same winks close the right eye: the label follows the face, not the image side', () => {
    const ok = winks.filter((w) => mirrored.get(w)!.right_eye_closed > mirrored.get(w)!.left_eye_closed);
    expect(ok.length).toBeGreaterThanOrEqual(11);
  });
  it('sleepy eyes read closed, normal ones open', () => {
    const both = (c: string) => subjects.flatMap((s) => [faces.get(`${s}.${c}`)!.left_eye_closed, faces.get(`${s}.${c}`)!.right_eye_closed]);
    expect(mean(both('sleepy'))).toBeGreaterThan(0.7);
    expect(mean(both('normal'))).toBeLessThan(0.15);
  });
  it('mouth_opened separates surprised from normal faces; closed lips give ≈ 0', () => {
    const s = subjects.map((x) => faces.get(`${x}.surprised`)!.mouth_opened), n = subjects.map((x) => faces.get(`${x}.normal`)!.mouth_opened);
    expect(rocAuc([...s.map((score) => ({ score, same: true })), ...n.map((score) => ({ score, same: false }))])).toBeGreaterThan(0.95);
    expect(Math.max(...n)).toBeLessThan(0.05);
    expect(s.filter((v) => v > 0.3).length).toBeGreaterThanOrEqual(7);
  });
  it('face_luminance scales with the pixels: a copy at half brightness reads half', async () => {
    for (const s of subjects.slice(0, 5)) {
      const img = await load(`${YALE}${s}.normal`);
      const full = faces.get(`${s}.normal`)!.face_luminance, half = (await main(scaleBrightness(img, 0.5))).face.face_luminance;
      expect(half / full).toBeGreaterThan(0.47);
      expect(half / full).toBeLessThan(0.53);
    }
  });
});

describe('occlusion and quality on LFW', () => {
  const faces: { img: RgbaImage; face: AnalyzedFace['face'] }[] = [];
  beforeAll(async () => {
    for (const im of lfwTest.slice(0, 24)) {
      const img = await load(LFW + im);
      faces.push({ img, face: (await main(img)).face });
    }
  }, 60_000);

  it('stays low on clean faces', () => {
    const occ = faces.map((f) => f.face.face_occlusion);
    expect(mean(occ)).toBeLessThan(0.06);
    expect(Math.max(...occ)).toBeLessThan(0.25);
  });
  it('rises with the covered area: black patches over the mouth, the eyes, the lower half', async () => {
    const score = async (region: Region | null, f: (typeof faces)[number]) => {
      if (!region) return f.face.face_occlusion;
      const pts = f.face.landmark_68.flatMap((p) => [p.x, p.y]);
      const p = toPlanar(f.img);
      paint(p, coverage(regionShape(region, pts), p.width, p.height), solid(15, 15, 15));
      return (await main(fromPlanar(p))).face.face_occlusion;
    };
    const sample = faces.slice(0, 6);
    const by: Record<string, number> = {};
    for (const r of [null, 'mouth', 'eyes', 'lower-half'] as const) {
      const v: number[] = [];
      for (const f of sample) v.push(await score(r, f));
      by[r ?? 'clean'] = mean(v);
    }
    expect(by.mouth).toBeGreaterThan(by.clean + 0.08);
    expect(by.eyes).toBeGreaterThan(by.mouth);
    expect(by['lower-half']).toBeGreaterThan(by.eyes);
    expect(by['lower-half']).toBeGreaterThan(0.35);
  }, 30_000);
  it('flags real dark sunglasses (AFW)', async () => {
    // AFW faces 2, 24 and 70 wear dark sunglasses (test/fixtures/afw-occlusion.json).
    const all = afwFaces();
    const occ: number[] = [];
    for (const k of [2, 24, 70]) {
      const p = await decodeNodeImage(`${AFW}images/${all[k].image}`);
      const box = matchBox(await engine.detect(p.image), all[k].points.flat().map((v) => v / p.toSource))!;
      const got = (await engine.analyze(p)).value.find((x) => x.face.x1 === Math.round(box.x1 * p.toSource) && x.face.y1 === Math.round(box.y1 * p.toSource))!;
      occ.push(got.face.face_occlusion);
    }
    expect(Math.min(...occ)).toBeGreaterThan(Math.max(...faces.map((f) => f.face.face_occlusion).sort((a, b) => a - b).slice(0, 20)));
  });
  it('quality falls on blurred, darkened and downscaled copies', async () => {
    const good = faces.filter((f) => f.face.face_quality > 0.8).slice(0, 4);
    expect(good.length).toBe(4);
    for (const f of good) {
      const q = f.face.face_quality;
      expect((await main(gaussianBlur(f.img, 3))).face.face_quality).toBeLessThan(q - 0.3);
      expect((await main(scaleBrightness(f.img, 0.15))).face.face_quality).toBeLessThan(q - 0.3);
      expect((await main(downscale(f.img, 0.3))).face.face_quality).toBeLessThan(q - 0.3);
    }
  }, 30_000);
  it('the box reaches above the brows, as the platform\'s does', () => {
    for (const f of faces) {
      const brows = Math.min(...f.face.landmark_68.slice(17, 27).map((p) => p.y));
      expect((brows - f.face.y1) / (f.face.y2 - f.face.y1)).toBeGreaterThan(0.12);
    }
  });
});
