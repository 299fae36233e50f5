/**
 * Parity of stored model forms, in one process (same machine load, same code): every variant runs
 * the SDK's pipeline (onnxruntime-node) on
 *  - the verification sets: LFW View 1 test, deepface and Yale pairs (AUC, accuracy at the platform
 *    threshold, pairs whose verdict changed, largest cosine change against the reference variant);
 *  - AFW: landmark NME of the shipped two-pass landmarks on the matched detector box;
 *  - Yale: the eye-closed scores of every face (fr_eye), largest change and changed verdicts at 0.5;
 * for the reference (every model from DIR_A), each model alone from DIR_B, and all from DIR_B.
 *
 *   npx tsx convert/parity.ts DIR_A DIR_B [--json out.json]      (from tools/)
 *
 * The pins of models/manifest.json are set in this process to the files being compared (a research
 * run: the SDK itself always checks the manifest's pins).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  calibratedSimilarity, cosine, createFaceRecognizer, createNodeEngine, decodeNodeImage, STARTUP_MODEL_NAMES, MODELS, PLATFORM_THRESHOLD,
  ratesAt, readPairsCsv, rocAuc, type Detection, type ModelName,
} from 'face-compare-sdk/internal';
import { nme } from '../../test/support/nme.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { json: { type: 'string' } } });
const [dirA, dirB] = positionals.map((d) => resolve(d));
if (!dirA || !dirB) {
  console.error('usage: parity.ts DIR_A DIR_B [--json out.json]');
  process.exit(2);
}
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const SETS = { lfw: `${DATA}lfw-view1/pairs_test.csv`, deepface: `${DATA}deepface/pairs.csv`, yale: `${DATA}yalefaces/pairs.csv` };
const AFW = `${DATA}afw_300w/`;
const ortNode = (await import('onnxruntime-node' as string)) as typeof import('onnxruntime-web');
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** A folder with each model from A, or from B for the names in `fromB`. */
function variantDir(fromB: readonly ModelName[]): string {
  const d = mkdtempSync(join(tmpdir(), 'fr-parity-'));
  for (const m of STARTUP_MODEL_NAMES) symlinkSync(join(fromB.includes(m) ? dirB : dirA, MODELS[m].file), join(d, MODELS[m].file));
  return d;
}
/** Point the in-process pins at the files of `dir`. */
function pin(dir: string): void {
  for (const m of STARTUP_MODEL_NAMES) {
    const p = join(dir, MODELS[m].file);
    MODELS[m].sha256 = sha(p);
    MODELS[m].bytes = readFileSync(p).length;
  }
}

interface Run {
  name: string;
  bytes: number;
  cos: Record<string, number[]>;
  same: Record<string, boolean[]>;
  nme: number[];
  eyes: number[];
}

async function run(name: string, fromB: readonly ModelName[]): Promise<Run> {
  const dir = variantDir(fromB);
  pin(dir);
  const bytes = STARTUP_MODEL_NAMES.reduce((s, m) => s + MODELS[m].bytes, 0);
  const fr = await createFaceRecognizer({ modelsDir: dir, runtime: 'onnxruntime-node', numThreads: 2 });
  const cos: Run['cos'] = {}, same: Run['same'] = {};
  for (const [set, csv] of Object.entries(SETS)) {
    const root = join(csv, '..', 'images');
    const pairs = readPairsCsv(csv);
    const emb = new Map<string, Float32Array | null>();
    const get = async (p: string) => {
      if (!emb.has(p)) emb.set(p, await fr.embed(join(root, p)).catch(() => null));
      return emb.get(p)!;
    };
    cos[set] = [];
    same[set] = pairs.map((p) => !!p.same);
    for (const p of pairs) {
      const [a, b] = [await get(p.a), await get(p.b)];
      cos[set].push(a && b ? cosine(a, b) : NaN);
    }
  }
  // Eyes on every Yale face.
  const eyes: number[] = [];
  const yaleImages = readFileSync(`${DATA}yalefaces/attributes.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  for (const img of yaleImages) {
    const faces = await fr.analyze(`${DATA}yalefaces/images/${img}`).catch(() => []);
    if (faces[0]) eyes.push(faces[0].left_eye_closed, faces[0].right_eye_closed);
    else eyes.push(NaN, NaN);
  }
  await fr.dispose();
  // Landmarks on AFW: the shipped two passes on the detection that holds the annotated points' centre.
  const engine = await createNodeEngine(dir, { ort: ortNode, executionProviders: () => ['cpu'] });
  const faces = (JSON.parse(readFileSync(`${AFW}landmarks.json`, 'utf8')) as { image: string; points: number[][] }[]);
  const errs: number[] = [];
  let cur = '', prepared: Awaited<ReturnType<typeof decodeNodeImage>> | null = null, boxes: Detection[] = [];
  for (const f of faces) {
    if (f.image !== cur) { prepared = await decodeNodeImage(`${AFW}images/${f.image}`); boxes = await engine.detect(prepared.image); cur = f.image; }
    const truth = f.points.flat().map((v) => v / prepared!.toSource);
    const xs = truth.filter((_, i) => i % 2 === 0), ys = truth.filter((_, i) => i % 2 === 1);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const box = boxes.filter((b) => b.x1 < cx && cx < b.x2 && b.y1 < cy && cy < b.y2)
      .sort((a, b) => Math.hypot((a.x1 + a.x2) / 2 - cx, (a.y1 + a.y2) / 2 - cy) - Math.hypot((b.x1 + b.x2) / 2 - cx, (b.y1 + b.y2) / 2 - cy))[0];
    errs.push(box ? nme(await engine.landmarks(prepared!.image, box), truth) : NaN);
  }
  await engine.dispose?.();
  return { name, bytes, cos, same, nme: errs, eyes };
}

// All from B right after the reference: the answer that decides comes first; then each model alone.
const variants: [string, ModelName[]][] = [
  ['reference (A)', []],
  ['all from B', [...STARTUP_MODEL_NAMES]],
  ...STARTUP_MODEL_NAMES.map((m) => [`${m} from B`, [m]] as [string, ModelName[]]),
];
const runs: Run[] = [];
const mean = (xs: number[]) => { const v = xs.filter(Number.isFinite); return v.reduce((s, x) => s + x, 0) / v.length; };
for (const [name, fromB] of variants) {
  const t0 = performance.now();
  runs.push(await run(name, fromB));
  console.error(`parity: ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const rows = table(runs);
  console.table(rows);
  if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2));
}

function table(runs: Run[]) {
  const ref = runs[0];
  return runs.map((r) => {
  const row: Record<string, string | number> = { variant: r.name, model_bytes: r.bytes };
  for (const set of Object.keys(SETS)) {
    const scored = r.cos[set].map((c, i) => ({ score: Number.isFinite(c) ? calibratedSimilarity(c) : 0, same: r.same[set][i] }));
    const at = ratesAt(scored, PLATFORM_THRESHOLD);
    const refVerdicts = ref.cos[set].map((c) => Number.isFinite(c) && calibratedSimilarity(c) >= PLATFORM_THRESHOLD);
    const verdicts = r.cos[set].map((c) => Number.isFinite(c) && calibratedSimilarity(c) >= PLATFORM_THRESHOLD);
    row[`${set}_auc`] = +rocAuc(scored).toFixed(6);
    row[`${set}_acc`] = +(100 * at.accuracy).toFixed(2);
    row[`${set}_changed`] = verdicts.filter((v, i) => v !== refVerdicts[i]).length;
    row[`${set}_max_dcos`] = +Math.max(...r.cos[set].map((c, i) => Math.abs(c - ref.cos[set][i])).filter(Number.isFinite)).toFixed(5);
  }
  row.afw_nme_pct = +(100 * mean(r.nme)).toFixed(3);
  row.afw_detected = r.nme.filter(Number.isFinite).length;
  row.eyes_max_d = +Math.max(...r.eyes.map((e, i) => Math.abs(e - ref.eyes[i])).filter(Number.isFinite)).toFixed(5);
  row.eyes_changed = r.eyes.filter((e, i) => (e >= 0.5) !== (ref.eyes[i] >= 0.5)).length;
  return row;
  });
}
