/**
 * A second face embedder (default models/mobilefacenet.onnx, from tools/convert/convert-tfjs-graph.ts) on
 * LFW View 1: our detector + 68 landmarks → ArcFace 5-point 112x112 crop → embedding, cosine.
 * Run: npx tsx tools/accuracy/eval-embedder.ts [--model models/mobilefacenet.onnx] [--name mfn]
 *        [--variants rgb,bgr] [--limit N (pairs per set, evenly spread)]        (≈ 10 min for all 3,200 pairs on 2 shared cores)
 *
 * Variants are input layouts on the same aligned crop: rgb / bgr = (x − 127.5) / 128 in that
 * channel order, rgb01 = x / 255, rgb255 / bgr255 = raw 0–255, ours = the pipeline's own alignedTensor (BGR,
 * (x − 127) / 128). For each variant it prints, on train and test: ROC AUC, accuracy at the best
 * train threshold, TAR at FAR 1e-3 — raw cosine and "centred" (the mean train embedding subtracted,
 * then re-normalised: a train-fitted lever). Writes scratch/acc/<name>.json for the first variant
 * (and <name>-<variant>.json for the others) = { "<path under images/>": number[] (L2-normalised,
 * 5 decimals) | null (no face) }.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { alignFace } from 'face-compare-sdk/internal';
import type { TensorSpec } from 'face-compare-sdk/internal';
import { fivePoints } from 'face-compare-sdk/internal';
import { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from 'face-compare-sdk/internal';
import { createNodeEngine, decodeNodeImage } from 'face-compare-sdk/internal';
import { readPairsCsv, type PairRow } from 'face-compare-sdk/internal';
import { REPO_ROOT } from '../lib/face-api-package.js';
import { loadEmbedder, MFN_MODEL_PATH } from '../lib/mobilefacenet-model.js';

const { values } = parseArgs({
  options: { model: { type: 'string' }, name: { type: 'string' }, variants: { type: 'string' }, limit: { type: 'string' } },
});
const MODEL = values.model ?? MFN_MODEL_PATH;
const NAME = values.name ?? 'mfn';
const SPECS: Record<string, TensorSpec | 'ours'> = {
  rgb: { channels: [0, 1, 2], mean: [127.5], std: [128], border: 0 },
  bgr: { channels: [2, 1, 0], mean: [127.5], std: [128], border: 0 },
  rgb01: { channels: [0, 1, 2], mean: [0], std: [255], border: 0 },
  rgb255: { channels: [0, 1, 2], mean: [0], std: [1], border: 0 },
  bgr255: { channels: [2, 1, 0], mean: [0], std: [1], border: 0 },
  ours: 'ours',
};
const variants = (values.variants ?? 'rgb,bgr').split(',');
for (const v of variants) if (!SPECS[v]) throw new Error(`unknown variant ${v}: ${Object.keys(SPECS).join(', ')}`);

const LFW = join(REPO_ROOT, '..', 'shared', 'data', 'lfw-view1');
const OUT = join(REPO_ROOT, 'scratch', 'acc');
const limit = values.limit ? Number(values.limit) : Infinity;
/** At most `limit` pairs, evenly spread (the CSVs list all same-person pairs first). */
const sample = (rows: PairRow[]) => (rows.length <= limit ? rows : rows.filter((_, i) => i % Math.ceil(rows.length / limit) === 0));
const sets: Record<'train' | 'test', PairRow[]> = {
  train: sample(readPairsCsv(join(LFW, 'pairs_train.csv'))),
  test: sample(readPairsCsv(join(LFW, 'pairs_test.csv'))),
};
const images = [...new Set([...sets.train, ...sets.test].flatMap((p) => [p.a, p.b]))];
const trainImages = new Set(sets.train.flatMap((p) => [p.a, p.b]));

const norm = (v: Float32Array) => { const k = 1 / (Math.hypot(...v) || 1); return v.map((x) => x * k); };
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

ort.env.wasm.numThreads = 1;
const engine = await createNodeEngine();
const model = await loadEmbedder(MODEL);
const emb: Record<string, Map<string, Float32Array | null>> = Object.fromEntries(variants.map((v) => [v, new Map()]));
const ms: number[] = [];
for (const [i, path] of images.entries()) {
  try {
    const prepared = await decodeNodeImage(join(LFW, 'images', path));
    const { face, alignedTensor } = (await engine.mainFace(prepared)).value; // LFW is 250x250: working pixels = source pixels
    const five = fivePoints(Float32Array.from(face.landmark_68.flatMap(({ x, y }) => [x, y])));
    for (const v of variants) {
      const spec = SPECS[v];
      const t0 = performance.now();
      const tensor = spec === 'ours' ? alignedTensor : alignFace(prepared.image, five, spec).tensor;
      emb[v].set(path, norm(await model.embed(tensor)));
      if (v === variants[0]) ms.push(performance.now() - t0);
    }
  } catch (e) {
    if ((e as { code?: string }).code !== 'NO_FACE') throw e;
    for (const v of variants) emb[v].set(path, null);
  }
  if ((i + 1) % 250 === 0) console.error(`eval-embedder: ${i + 1}/${images.length} images`);
}
await model.release();
await engine.dispose();

mkdirSync(OUT, { recursive: true });
const round = (v: Float32Array) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
for (const [k, v] of variants.entries()) {
  const file = join(OUT, k === 0 ? `${NAME}.json` : `${NAME}-${v}.json`);
  writeFileSync(file, JSON.stringify(Object.fromEntries([...emb[v]].map(([p, e]) => [p, e && round(e)]))));
}

/** Cosine per pair; a pair without a face is a non-match. */
function score(pairs: PairRow[], e: Map<string, Float32Array | null>): ScoredPair[] {
  return pairs.map((p) => {
    const [a, b] = [e.get(p.a), e.get(p.b)];
    return { score: a && b ? dot(a, b) : -1, same: !!p.same };
  });
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
for (const v of variants) {
  const train = [...emb[v]].filter(([p, e]) => e && trainImages.has(p)).map(([, e]) => e!);
  const mean = train[0].map((_, j) => train.reduce((s, e) => s + e[j], 0) / train.length);
  const centred = new Map([...emb[v]].map(([p, e]) => [p, e && norm(e.map((x, j) => x - mean[j]))]));
  for (const [label, e] of [[v, emb[v]], [`${v} centred`, centred]] as const) {
    const best = bestThreshold(score(sets.train, e));
    for (const set of ['train', 'test'] as const) {
      const s = score(sets[set], e);
      console.log(JSON.stringify({
        variant: label, set, pairs: s.length, auc: r4(rocAuc(s)), train_best_threshold: r4(best.threshold),
        accuracy_at_train_best: r4(ratesAt(s, best.threshold).accuracy), tar_at_far_1e3: r4(tarAtFar(s, 1e-3)),
      }));
    }
  }
}
const sorted = [...ms].sort((a, b) => a - b);
console.log(JSON.stringify({
  model: MODEL, model_mb: r4(statSync(MODEL).size / 1e6), embeddings: ms.length,
  no_face_images: [...emb[variants[0]].values()].filter((e) => !e).length,
  ms_per_embedding_mean: r4(ms.reduce((a, b) => a + b, 0) / ms.length), ms_per_embedding_p50: r4(sorted[Math.floor(sorted.length / 2)]),
}));
