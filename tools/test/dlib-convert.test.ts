/**
 * The dlib ResNet conversion (tools/convert/convert-dlib-resnet.ts) against face-api's own TFJS model on
 * real LFW faces, and the dlib face-chip alignment (tools/lib/dlib-align.ts).
 * First run: one `npm pack @vladmandic/face-api@1.7.15` (12.7 MB), cached in models/.cache/.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLIB_MODEL_PATH, euclidean, loadDlibModel, type DlibModel } from '../lib/dlib-model.js';
import { dlibResnetOnnx } from '../lib/dlib-resnet-onnx.js';
import { loadRecognitionWeights, sha256 } from '../lib/face-api-package.js';
import { loadFaceApiReference, type FaceApiReference } from '../lib/face-api-reference.js';
import { decodeWeights } from '../lib/tfjs-weights.js';
import { DLIB_CHIP_SIZE, DLIB_FIT_POINTS, DLIB_SPEC, dlibChip, dlibChipTransform, dlibTemplatePoint } from '../lib/dlib-align.js';
import { applyAffine, invertAffine, warpToTensor, type Affine, type RgbaImage } from 'face-compare-sdk/internal';
import { LEFT_EYE, RIGHT_EYE } from 'face-compare-sdk/internal';
import { createNodeEngine, decodeNodeImage } from 'face-compare-sdk/internal';
import { LFW } from '../../test/helpers.js';

// Four people, two photos each (LFW View 1 train pairs, tests/eval use only).
const PEOPLE = ['Aaron_Peirsol', 'Alexandra_Stevenson', 'Alex_Sink', 'Ali_Abbas'];
const PHOTOS = [[1, 2], [1, 2], [2, 3], [1, 2]];
const FILES = PEOPLE.flatMap((p, i) => PHOTOS[i].map((n) => `${p}/${p}_${String(n).padStart(4, '0')}.jpg`));

/** Our chip convention (pixel centres at +0.5) of a dlib template point given in dlib chip units. */
function templateInChip(i: number): [number, number] {
  const h = DLIB_CHIP_SIZE / 2, k = DLIB_CHIP_SIZE / (DLIB_CHIP_SIZE - 1);
  const [qx, qy] = dlibTemplatePoint(i);
  return [(qx - h) / k + h, (qy - h) / k + h];
}

const mean2 = (ps: [number, number][]): [number, number] => [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];

interface RealFace { file: string; image: RgbaImage; points: number[] }

let bytes: Uint8Array;
let model: DlibModel;
let reference: FaceApiReference;
const faces: RealFace[] = [];

beforeAll(async () => {
  ort.env.wasm.numThreads = 1;
  bytes = dlibResnetOnnx(loadRecognitionWeights());
  model = await loadDlibModel(bytes);
  reference = await loadFaceApiReference();
  const engine = await createNodeEngine();
  for (const file of FILES) {
    const prepared = await decodeNodeImage(LFW + file);
    const { face } = (await engine.mainFace(prepared)).value;
    faces.push({ file, image: prepared.image, points: face.landmark_68.flatMap(({ x, y }) => [x, y]) });
  }
  await engine.dispose();
});

afterAll(() => model?.release());

describe('TFJS weights', () => {
  it('dequantises uint8 / float16 entries and reads raw float32 ones, back to back', () => {
    const buf = new Uint8Array(2 + 4 + 4);
    buf.set([0, 255], 0);
    new DataView(buf.buffer).setUint16(2, 0x3c00, true); // half 1.0
    new DataView(buf.buffer).setUint16(4, 0xc000, true); // half -2.0
    new DataView(buf.buffer).setFloat32(6, 0.25, true);
    const w = decodeWeights([{ paths: ['a'], weights: [
      { name: 'q8', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'f', shape: [1], dtype: 'float32' },
    ] }], () => buf);
    expect([...w.get('q8')!.data]).toEqual([-1, 126.5]);
    expect([...w.get('h')!.data]).toEqual([1, -2]);
    expect([...w.get('f')!.data]).toEqual([0.25]);
  });
});

describe('dlib ResNet ONNX conversion', () => {
  it('is deterministic, and models/dlib_resnet.onnx (when present) is what the converter makes', () => {
    expect(sha256(dlibResnetOnnx(loadRecognitionWeights()))).toBe(sha256(bytes));
    if (existsSync(DLIB_MODEL_PATH)) {
      expect(sha256(readFileSync(DLIB_MODEL_PATH)), 'stale models/dlib_resnet.onnx: run npx tsx tools/convert/convert-dlib-resnet.ts').toBe(sha256(bytes));
    }
  });

  it("gives face-api's TFJS descriptors to 1e-3 on real face chips", async () => {
    // face-api takes 0–255 RGB and normalises with / 255; ours takes the normalised tensor.
    const raw = { channels: [0, 1, 2], mean: [0], std: [1], border: 0 } as const;
    const n = DLIB_CHIP_SIZE * DLIB_CHIP_SIZE;
    let worst = 0;
    for (const f of faces.filter((_, i) => i % 2 === 0)) {
      const chipToSrc = invertAffine(dlibChipTransform(f.points));
      const chw = warpToTensor(f.image, chipToSrc, DLIB_CHIP_SIZE, DLIB_CHIP_SIZE, raw);
      const hwc = new Float32Array(3 * n);
      for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) hwc[3 * i + c] = chw[c * n + i];
      const ours = await model.embed(warpToTensor(f.image, chipToSrc, DLIB_CHIP_SIZE, DLIB_CHIP_SIZE, { ...DLIB_SPEC, std: [255] }));
      const theirs = await reference.descriptor(hwc);
      for (let i = 0; i < 128; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
    }
    expect(worst).toBeLessThan(1e-3); // measured ≈ 4e-7
  });

  it("separates same-person from different-person pairs at dlib's 0.6 distance", async () => {
    const emb = await Promise.all(faces.map(async (f) => model.embed(dlibChip(f.image, f.points).tensor)));
    const person = (i: number) => faces[i].file.split('/')[0];
    for (let i = 0; i < emb.length; i++) {
      for (let j = i + 1; j < emb.length; j++) {
        const d = euclidean(emb[i], emb[j]);
        if (person(i) === person(j)) expect(d, `${faces[i].file} vs ${faces[j].file}`).toBeLessThan(0.6);
        else expect(d, `${faces[i].file} vs ${faces[j].file}`).toBeGreaterThan(0.6);
      }
    }
  });
});

describe('dlib face chip', () => {
  it('maps points that are an exact similarity of the template onto the template', () => {
    // Points = template (our chip convention) moved by a known rotation, scale and shift.
    const angle = 0.3, s = 1.7, tx = 40, ty = -12;
    const move: Affine = [s * Math.cos(angle), -s * Math.sin(angle), tx, s * Math.sin(angle), s * Math.cos(angle), ty];
    const points = new Array(136).fill(0);
    for (const i of DLIB_FIT_POINTS) [points[2 * i], points[2 * i + 1]] = applyAffine(move, ...templateInChip(i));
    const srcToChip = dlibChipTransform(points);
    for (const i of DLIB_FIT_POINTS) {
      const [x, y] = applyAffine(srcToChip, points[2 * i], points[2 * i + 1]);
      const [ex, ey] = templateInChip(i);
      expect(Math.hypot(x - ex, y - ey)).toBeLessThan(1e-9);
    }
  });

  it("puts a real face's eye centres where dlib's mean face has them", () => {
    // The fit spans 33 points (nose, eyes, upper mouth), so the eyes of a turned head move a little.
    const tRight = mean2(RIGHT_EYE.map(templateInChip)), tLeft = mean2(LEFT_EYE.map(templateInChip));
    const iod = Math.hypot(tLeft[0] - tRight[0], tLeft[1] - tRight[1]); // ≈ 52.6 chip pixels
    const errors = faces.flatMap((f) => {
      const srcToChip = dlibChipTransform(f.points);
      const eye = (idx: readonly number[]) => applyAffine(srcToChip, ...mean2(idx.map((i) => [f.points[2 * i], f.points[2 * i + 1]] as [number, number])));
      const [r, l] = [eye(RIGHT_EYE), eye(LEFT_EYE)];
      return [Math.hypot(r[0] - tRight[0], r[1] - tRight[1]), Math.hypot(l[0] - tLeft[0], l[1] - tLeft[1])];
    });
    expect(Math.max(...errors) / iod).toBeLessThan(0.12); // worst measured: 5.4 px (Ali_Abbas_0001)
    expect(errors.reduce((a, b) => a + b) / errors.length).toBeLessThan(3); // measured: 2.0 px
  });
});
