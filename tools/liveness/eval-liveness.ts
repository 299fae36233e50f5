/**
 * npx tsx tools/liveness/eval-liveness.ts [--json] [--chromium] [--runs N] [--scores FILE]
 * The model-only figures of docs/liveness.md on the NUAA print-attack frames in ../shared/data/nuaa/ (500 live,
 * 500 print, 9 subjects): fr_liveness's own score (before the SDK fuses it with the face's cues, see
 * eval-sets.ts) with BGR (shipped) and RGB input, ROC AUC of
 * each, the threshold chosen by the rule in chooseThreshold, APCER / BPCER at it (on all frames, and
 * leave-one-subject-out), and the cost per face in Node (and, with --chromium, in the browser worker).
 * --scores writes every frame's scores as JSON. Takes ~40 s on 2 cores (plus ~1 min with --chromium).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import {
  createNodeEngine, decodeNodeImage, DEFAULT_MODELS_DIR, fileModelLoader, LIVENESS_INPUT, LIVENESS_SPEC,
  livenessScore, Model, prepareLivenessInput, rankFaces, rocAuc,
} from 'face-compare-sdk/internal';
import { chooseThreshold, padRates, type ScoredFrame } from './threshold.js';
import { NUAA_IMAGES, nuaaFrames } from '../../test/support/nuaa.js';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, chromium: { type: 'boolean' }, scores: { type: 'string' }, runs: { type: 'string', default: '50' } } });
const log = (m: string) => { if (!values.json) process.stderr.write(`${m}\n`); };

const rows = nuaaFrames();

ort.env.wasm.numThreads = 1;
const engine = await createNodeEngine();
// The model's own score, BGR (shipped) and RGB (the same crop with the planes swapped).
const model = await Model.load('fr_liveness', fileModelLoader(DEFAULT_MODELS_DIR), { ort });
const RGB = { ...LIVENESS_SPEC, channels: [0, 1, 2] };

const bgr: ScoredFrame[] = [], rgb: ScoredFrame[] = [];
const noFace: string[] = [];
const costMs: number[] = [];
for (const [i, r] of rows.entries()) {
  const { image } = await decodeNodeImage(NUAA_IMAGES + r.image);
  const dets = rankFaces(await engine.detect(image), image.width, image.height);
  if (!dets.length) { noFace.push(r.image); continue; }
  const t0 = performance.now();
  // fr_liveness's own score (crop + BGR tensor + model + softmax), before the SDK fuses it with the cues (eval-sets.ts).
  const s = livenessScore((await model.run(prepareLivenessInput(image, dets[0]), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT])).output);
  costMs.push(performance.now() - t0);
  bgr.push({ score: s, live: r.live, subject: r.subject });
  const out = await model.run(prepareLivenessInput(image, dets[0], RGB), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT]);
  rgb.push({ score: livenessScore(out.output), live: r.live, subject: r.subject });
  if ((i + 1) % 100 === 0) log(`liveness: ${i + 1}/${rows.length}`);
}
await model.release();
if (values.scores) writeFileSync(values.scores, JSON.stringify({ bgr, rgb }));

const auc = (v: ScoredFrame[]) => rocAuc(v.map((f) => ({ score: f.score, same: f.live })));
const chosen = chooseThreshold(bgr);
const MODEL_ONLY_THRESHOLD = 0.31;
const shipped = padRates(bgr, MODEL_ONLY_THRESHOLD);
// Leave one subject out: the threshold chosen on 8 subjects, the errors counted on the 9th.
const subjects = [...new Set(bgr.map((f) => f.subject))].sort();
let apce = 0, bpce = 0;
for (const s of subjects) {
  const t = chooseThreshold(bgr.filter((f) => f.subject !== s)).threshold;
  const held = bgr.filter((f) => f.subject === s);
  apce += held.filter((f) => !f.live && f.score >= t).length;
  bpce += held.filter((f) => f.live && f.score < t).length;
}
const nLive = bgr.filter((f) => f.live).length, nPrint = bgr.length - nLive;
const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const median = (v: number[]) => sorted(v)[Math.floor(v.length / 2)];
const p = (v: number[], q: number) => sorted(v)[Math.min(v.length - 1, Math.floor(q * v.length))];

let chromium: { per_face_ms_p50: number; liveness_call_ms_p50: number; runs: number } | undefined;
if (values.chromium) chromium = await (await import("./chromium-cost.js")).chromiumCost(rows.filter((r) => r.live).slice(0, 5).map((r) => r.image), Number(values.runs), log);

const report = {
  frames: rows.length,
  no_face: noFace,
  scored: { live: nLive, print: nPrint },
  auc_bgr: auc(bgr),
  auc_rgb: auc(rgb),
  // The rule's threshold and the range that ties with it; the shipped constant is it to 2 decimals.
  chosen_threshold: chosen.threshold,
  chosen_range: chosen.range,
  // The model-only threshold that shipped before the fusion (LIVENESS_THRESHOLD now applies to the fused score).
  model_only_threshold: MODEL_ONLY_THRESHOLD,
  model_only_in_range: MODEL_ONLY_THRESHOLD > chosen.range[0] && MODEL_ONLY_THRESHOLD <= chosen.range[1],
  at_model_only: shipped,
  rgb_at_model_only: padRates(rgb, MODEL_ONLY_THRESHOLD),
  loso: { apcer: apce / nPrint, bpcer: bpce / nLive, prints_accepted: apce, live_refused: bpce },
  score_live: { min: Math.min(...bgr.filter((f) => f.live).map((f) => f.score)), p01: p(bgr.filter((f) => f.live).map((f) => f.score), 0.01), median: median(bgr.filter((f) => f.live).map((f) => f.score)) },
  score_print: { max: Math.max(...bgr.filter((f) => !f.live).map((f) => f.score)), p99: p(bgr.filter((f) => !f.live).map((f) => f.score), 0.99), median: median(bgr.filter((f) => !f.live).map((f) => f.score)) },
  node_per_face_ms_p50: median(costMs),
  node_per_face_ms_p95: p(costMs, 0.95),
  ...(chromium ? { chromium } : {}),
};
console.log(JSON.stringify(report, null, 2));
await engine.dispose();
