/**
 * The dlib ResNet (models/dlib_resnet.onnx, from tools/convert/convert-dlib-resnet.ts) on LFW View 1:
 * our detector + 68 landmarks → dlib face chip → 128-d descriptor, Euclidean distance.
 * Run: npx tsx tools/accuracy/eval-dlib.ts [--limit N] [--no-box]   (≈ 8 min for all 3,200 pairs on 2 shared cores)
 *
 * Writes scratch/acc/dlib.json = { "<path under images/>": number[128] | null (no face) } and prints,
 * for train and test: ROC AUC, accuracy at dlib's 0.6 and at the best train threshold, TAR at
 * FAR 1e-3, and ms per embedding (chip warp + model). On train it also scores face-api's own crop
 * (the detector box padded to a square and resized, no alignment) against the aligned chip.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { DLIB_CHIP_SIZE, DLIB_SPEC, dlibChip } from '../lib/dlib-align.js';
import { letterbox, warpToTensor, type RgbaImage } from 'face-compare-sdk/internal';
import { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from 'face-compare-sdk/internal';
import { createNodeEngine, decodeNodeImage } from 'face-compare-sdk/internal';
import { readPairsCsv, type PairRow } from 'face-compare-sdk/internal';
import { euclidean, loadDlibModel } from '../lib/dlib-model.js';
import { REPO_ROOT } from '../lib/face-api-package.js';

const { values } = parseArgs({ options: { limit: { type: 'string' }, 'no-box': { type: 'boolean' } } });
const LFW = join(REPO_ROOT, '..', 'shared', 'data', 'lfw-view1');
const OUT = join(REPO_ROOT, 'scratch', 'acc');
const limit = values.limit ? Number(values.limit) : Infinity;
const sets: Record<'train' | 'test', PairRow[]> = {
  train: readPairsCsv(join(LFW, 'pairs_train.csv')).slice(0, limit),
  test: readPairsCsv(join(LFW, 'pairs_test.csv')).slice(0, limit),
};
const trainImages = new Set(sets.train.flatMap((p) => [p.a, p.b]));
const images = [...new Set([...sets.train, ...sets.test].flatMap((p) => [p.a, p.b]))];

/** face-api's crop: the box cut out, zero-padded to a centred square, resized to 150 (its toBatchTensor). */
function boxCrop(img: RgbaImage, box: { x1: number; y1: number; x2: number; y2: number }): Float32Array {
  const x1 = Math.max(0, box.x1), y1 = Math.max(0, box.y1), x2 = Math.min(img.width, box.x2), y2 = Math.min(img.height, box.y2);
  const w = x2 - x1, h = y2 - y1, data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y1 + y) * img.width + x1) * 4, ((y1 + y) * img.width + x2) * 4), y * w * 4);
  return warpToTensor({ width: w, height: h, data }, letterbox(w, h, DLIB_CHIP_SIZE, DLIB_CHIP_SIZE).map, DLIB_CHIP_SIZE, DLIB_CHIP_SIZE, DLIB_SPEC);
}

ort.env.wasm.numThreads = 1;
const engine = await createNodeEngine();
const model = await loadDlibModel();
const aligned = new Map<string, Float32Array | null>();
const boxed = new Map<string, Float32Array | null>();
const ms: number[] = [];
for (const [i, path] of images.entries()) {
  try {
    const prepared = await decodeNodeImage(join(LFW, 'images', path));
    const { face } = (await engine.mainFace(prepared)).value; // LFW is 250x250: working pixels = source pixels
    const t0 = performance.now();
    aligned.set(path, await model.embed(dlibChip(prepared.image, face.landmark_68.flatMap(({ x, y }) => [x, y])).tensor));
    ms.push(performance.now() - t0);
    if (!values['no-box'] && trainImages.has(path)) boxed.set(path, await model.embed(boxCrop(prepared.image, face)));
  } catch (e) {
    if ((e as { code?: string }).code !== 'NO_FACE') throw e;
    aligned.set(path, null);
    boxed.set(path, null);
  }
  if ((i + 1) % 250 === 0) console.error(`eval-dlib: ${i + 1}/${images.length} images`);
}
await model.release();
await engine.dispose();

mkdirSync(OUT, { recursive: true });
const round = (v: Float32Array) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
writeFileSync(join(OUT, 'dlib.json'), JSON.stringify(Object.fromEntries([...aligned].map(([k, v]) => [k, v && round(v)]))));

/** Score = −distance (metrics want higher = more alike); a pair without a face is a non-match. */
function score(pairs: PairRow[], emb: Map<string, Float32Array | null>): ScoredPair[] {
  return pairs.map((p) => {
    const a = emb.get(p.a), b = emb.get(p.b);
    return { score: a && b ? -euclidean(a, b) : -Infinity, same: !!p.same };
  });
}

const DLIB_THRESHOLD = 0.6;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
function report(name: string, emb: Map<string, Float32Array | null>, which: ('train' | 'test')[]) {
  const train = score(sets.train, emb);
  const best = bestThreshold(train);
  for (const set of which) {
    const scored = set === 'train' ? train : score(sets[set], emb);
    console.log(JSON.stringify({
      variant: name,
      set,
      pairs: scored.length,
      no_face_pairs: scored.filter((p) => p.score === -Infinity).length,
      auc: r4(rocAuc(scored)),
      accuracy_at_0_6: r4(ratesAt(scored, -DLIB_THRESHOLD).accuracy),
      train_best_distance: r4(-best.threshold),
      accuracy_at_train_best: r4(ratesAt(scored, best.threshold).accuracy),
      tar_at_far_1e3: r4(tarAtFar(scored, 1e-3)),
    }));
  }
}

report('aligned chip', aligned, ['train', 'test']);
if (!values['no-box']) report('face-api box crop', boxed, ['train']);
const sorted = [...ms].sort((a, b) => a - b);
console.log(JSON.stringify({
  embeddings: ms.length,
  no_face_images: [...aligned.values()].filter((v) => !v).length,
  ms_per_embedding_mean: r4(ms.reduce((a, b) => a + b, 0) / ms.length),
  ms_per_embedding_p50: r4(sorted[Math.floor(sorted.length / 2)]),
}));
