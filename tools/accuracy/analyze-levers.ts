/**
 * Scores the accuracy levers on what tools/accuracy/collect-levers.ts wrote (docs/accuracy.md). Every lever is
 * chosen on LFW View 1 train (threshold = best train accuracy, as `npm run calibrate` does) and
 * reported on LFW test, deepface and Yale at that threshold.
 *
 *   npx tsx tools/accuracy/analyze-levers.ts [scratch/acc]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from 'face-compare-sdk/internal';
import { readPairsCsv } from 'face-compare-sdk/internal';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'scratch/acc';
const DATA = '../shared/data';
const SETS = {
  train: { csv: `${DATA}/lfw-view1/pairs_train.csv`, file: 'lfw_train.jsonl' },
  test: { csv: `${DATA}/lfw-view1/pairs_test.csv`, file: 'lfw_test.jsonl' },
  deepface: { csv: `${DATA}/deepface/pairs.csv`, file: 'deepface.jsonl' },
  yale: { csv: `${DATA}/yalefaces/pairs.csv`, file: 'yale.jsonl' },
} as const;
type SetName = keyof typeof SETS;

interface FaceRec {
  score: number; x1: number; y1: number; x2: number; y2: number; k: number;
  face_quality: number; yaw: number; eye_dist: number;
  emb: Record<string, string>;
}
interface ImageRec { path: string; size?: [number, number]; faces?: FaceRec[]; error?: string }

const unb64 = (s: string) => { const b = Buffer.from(s, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
function load(name: SetName): Map<string, ImageRec> | undefined {
  const p = join(dir, SETS[name].file);
  if (!existsSync(p)) return undefined;
  return new Map(readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => { const r = JSON.parse(l) as ImageRec; return [r.path, r]; }));
}

// Face choice rules: which detected face is the subject.
const area = (f: FaceRec) => (f.x2 - f.x1) * (f.y2 - f.y1);
const CHOICE: Record<string, (faces: FaceRec[], size: [number, number]) => FaceRec> = {
  weighted: (fs) => [...fs].sort((a, b) => area(b) * b.score ** 4 - area(a) * a.score ** 4)[0],
  largest: (fs) => fs[0],
  'centre-first': (fs, [w, h]) => {
    const weight = (f: FaceRec) => area(f) * f.score ** 4;
    const holds = (f: FaceRec) => f.x1 <= (w / 2) * f.k && (w / 2) * f.k <= f.x2 && f.y1 <= (h / 2) * f.k && (h / 2) * f.k <= f.y2;
    const byWeight = [...fs].sort((a, b) => weight(b) - weight(a));
    const central = byWeight.find(holds);
    return central && weight(central) >= 0.5 * weight(byWeight[0]) ? central : byWeight[0];
  },
  central: (fs, [w, h]) => {
    const d = (f: FaceRec) => Math.hypot((f.x1 + f.x2) / 2 / f.k - w / 2, (f.y1 + f.y2) / 2 / f.k - h / 2);
    return [...fs].sort((a, b) => d(a) - d(b))[0];
  },
};

const norm = (v: Float32Array) => { let s = 0; for (const x of v) s += x * x; const r = new Float32Array(v.length); const k = 1 / Math.sqrt(s || 1); for (let i = 0; i < v.length; i++) r[i] = v[i] * k; return r; };
const sum = (vs: Float32Array[]) => { const r = new Float32Array(vs[0].length); for (const v of vs) for (let i = 0; i < v.length; i++) r[i] += v[i]; return norm(r); };
const dot = (a: Float32Array, b: Float32Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

// Embedding variants (what the subject's vector is made of); variants missing on a face fall back to null.
const VARIANT: Record<string, (f: FaceRec) => Float32Array | null> = {
  base: (f) => norm(unb64(f.emb.base)),
  flip: (f) => sum([unb64(f.emb.base), unb64(f.emb.flip)]),
  corners: (f) => (f.emb.corners ? norm(unb64(f.emb.corners)) : null),
  shifts: (f) => (f.emb.up ? sum([unb64(f.emb.base), unb64(f.emb.up), unb64(f.emb.down)]) : null),
  'flip+shifts': (f) => (f.emb.up ? sum([unb64(f.emb.base), unb64(f.emb.flip), unb64(f.emb.up), unb64(f.emb.down)]) : null),
};

interface Scored extends ScoredPair { a: string; b: string; qa: number; qb: number }

function score(name: SetName, recs: Map<string, ImageRec>, choice: string, variant: string, post?: (v: Float32Array) => Float32Array): Scored[] {
  const pairs = readPairsCsv(SETS[name].csv);
  const vec = new Map<string, { v: Float32Array | null; q: number }>();
  const get = (p: string) => {
    if (!vec.has(p)) {
      const r = recs.get(p);
      const f = r?.faces?.length ? CHOICE[choice](r.faces, r.size!) : undefined;
      const v = f ? VARIANT[variant](f) : null;
      vec.set(p, { v: v && post ? post(v) : v, q: f?.face_quality ?? 0 });
    }
    return vec.get(p)!;
  };
  return pairs.map((p) => {
    const [a, b] = [get(p.a), get(p.b)];
    return { a: p.a, b: p.b, same: !!p.same, score: a.v && b.v ? dot(a.v, b.v) : -1, qa: a.q, qb: b.q };
  });
}

const pct = (x: number) => (100 * x).toFixed(2);
const data = Object.fromEntries((Object.keys(SETS) as SetName[]).map((n) => [n, load(n)])) as Record<SetName, Map<string, ImageRec> | undefined>;
if (!data.train) throw new Error(`no ${SETS.train.file} in ${dir}: run tools/accuracy/collect-levers.ts first`);

// Mean of train embeddings, for the centring lever.
function trainMean(choice: string, variant: string): Float32Array {
  const vs: Float32Array[] = [];
  for (const r of data.train!.values()) if (r.faces?.length) { const v = VARIANT[variant](CHOICE[choice](r.faces, r.size!)); if (v) vs.push(v); }
  const m = new Float32Array(vs[0].length);
  for (const v of vs) for (let i = 0; i < m.length; i++) m[i] += v[i] / vs.length;
  return m;
}

const REPORTED: SetName[] = ['test', 'deepface', 'yale'];

/**
 * One table row: the threshold with the best train accuracy, applied unchanged to the reported sets
 * (those in `sets` with data; '–' for the others). Returns the threshold.
 */
function printRow(label: string, scoredOn: (n: SetName) => ScoredPair[], sets: SetName[] = REPORTED): number {
  const train = scoredOn('train');
  const { threshold, accuracy } = bestThreshold(train);
  const row: string[] = [label, threshold.toFixed(4), pct(accuracy), rocAuc(train).toFixed(4)];
  for (const n of REPORTED) {
    if (!sets.includes(n) || !data[n]) { row.push('–', '–', '–'); continue; }
    const s = scoredOn(n);
    const r = ratesAt(s, threshold);
    row.push(`${pct(r.accuracy)} (${pct(r.fmr)}/${pct(r.fnmr)})`, pct(tarAtFar(s, 1e-3)), rocAuc(s).toFixed(4));
  }
  console.log('| ' + row.join(' | ') + ' |');
  return threshold;
}

function report(label: string, choice: string, variant: string, centre = false) {
  const mean = centre ? trainMean(choice, variant) : undefined;
  const post = mean ? (v: Float32Array) => norm(v.map((x, i) => x - mean[i])) : undefined;
  printRow(label, (n) => score(n, data[n]!, choice, variant, post));
}

/** The shipped pipeline's scores: centre-first subject, base embedding. */
const shipped = (n: SetName) => score(n, data[n]!, 'centre-first', 'base');

console.log('| lever | train thr | train acc | train AUC | LFW test acc (FMR/FNMR) | TAR@1e-3 | AUC | deepface acc | TAR@1e-3 | AUC | Yale acc | TAR@1e-3 | AUC |');
console.log('|' + ' --- |'.repeat(13));
for (const choice of Object.keys(CHOICE)) report(`choice=${choice}`, choice, 'base');
for (const variant of Object.keys(VARIANT).slice(1)) report(`variant=${variant}`, 'weighted', variant);
report('centred (train mean)', 'weighted', 'base', true);
report('flip + centred', 'weighted', 'flip', true);

// Quality-aware refusal (minQuality → LOW_QUALITY): share of pairs answered and accuracy on those, at the
// centre-first base threshold.
{
  const { threshold } = bestThreshold(shipped('train'));
  console.log('\n| minQuality | ' + (['test', 'deepface', 'yale'] as SetName[]).map((n) => `${n} answered | ${n} acc on answered`).join(' | ') + ' |');
  console.log('|' + ' --- |'.repeat(7));
  for (const q of [0, 0.1, 0.3, 0.5, 0.8]) {
    const row = [String(q)];
    for (const n of ['test', 'deepface', 'yale'] as SetName[]) {
      const all = shipped(n);
      const kept = all.filter((p) => Math.min(p.qa, p.qb) >= q);
      row.push(pct(kept.length / all.length), pct(ratesAt(kept, threshold).accuracy));
    }
    console.log('| ' + row.join(' | ') + ' |');
  }
  // Yale's side-lit photos (leftlight/rightlight) against any other condition of the same or another subject.
  const lit = shipped('yale').filter((p) => /(left|right)light/.test(p.a + p.b));
  const r = ratesAt(lit, threshold);
  console.log(`\nYale pairs with a side-lit photo: ${lit.length}, accuracy ${pct(r.accuracy)} (FMR ${pct(r.fmr)}, FNMR ${pct(r.fnmr)}), AUC ${rocAuc(lit).toFixed(4)}`);
}

// Fusion with the dlib ResNet (tools/accuracy/eval-dlib.ts wrote its 128-d descriptors per image; dlib-centre.json
// overrides the images whose subject the centre-first rule picks differently): a logistic
// regression on train over (our cosine, dlib distance) gives the fused score's weights.
const dlibFile = join(dir, 'dlib.json');
if (existsSync(dlibFile)) {
  const dlib: Record<string, number[] | null> = JSON.parse(readFileSync(dlibFile, 'utf8'));
  const overrides: Record<string, number[]> = existsSync(join(dir, 'dlib-centre.json')) ? JSON.parse(readFileSync(join(dir, 'dlib-centre.json'), 'utf8')) : {};
  const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0));
  for (const [choice, over] of [['weighted', {}], ['centre-first', overrides]] as const) {
    const vec = (p: string) => (over as Record<string, number[]>)[p] ?? dlib[p];
    const feats = (n: SetName) => score(n, data[n]!, choice, 'base').map((p) => {
      const [a, b] = [vec(p.a), vec(p.b)];
      return { ...p, d: a && b ? dist(a, b) : 2 };
    });
    const train = feats('train');
    const [w1, w2] = logistic(train.map((p) => [p.score, p.d]), train.map((p) => p.same));
    printRow(`dlib alone (${choice})`, (n) => feats(n).map((p) => ({ ...p, score: -p.d })), ['test']);
    printRow(`ours + dlib (${choice}), w = ${w1.toFixed(1)}, ${w2.toFixed(1)}`, (n) => feats(n).map((p) => ({ ...p, score: w1 * p.score + w2 * p.d })), ['test']);
  }
}

// Fusion with a second embedder run by tools/accuracy/eval-embedder.ts (mfn.json: MobileFaceNet; mf.json:
// MobileFace; { path: L2-normalised vector | null }), the same way as dlib: a logistic regression on
// train over (our cosine, its cosine), our subject picked by the centre-first rule (= rankFaces).
// Also lists the LFW test pairs whose verdict the fusion changes against ours alone.
for (const [label, file] of [['mfn', 'mfn.json'], ['MobileFace', 'mf.json']] as const) {
  if (!existsSync(join(dir, file)) || !data.test) continue;
  const other: Record<string, number[] | null> = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  const feats = (n: SetName) => shipped(n).map((p) => {
    const [a, b] = [other[p.a], other[p.b]];
    return { ...p, o: a && b ? cos(a, b) : -1 };
  });
  const train = feats('train'), test = feats('test');
  const [w1, w2] = logistic(train.map((p) => [p.score, p.o]), train.map((p) => p.same));
  type F = Scored & { o: number };
  const rows: [string, (ps: F[]) => F[]][] = [
    ['ours alone (centre-first)', (ps) => ps],
    [`${label} alone`, (ps) => ps.map((p) => ({ ...p, score: p.o }))],
    [`ours + ${label}, w = ${w1.toFixed(2)}, ${w2.toFixed(2)}`, (ps) => ps.map((p) => ({ ...p, score: w1 * p.score + w2 * p.o }))],
  ];
  const verdicts = rows.map(([name, f]) => {
    const threshold = printRow(name, (n) => f(n === 'train' ? train : test), ['test']);
    return f(test).map((p) => (p.score >= threshold) === p.same);
  });
  const [ours, , fused] = verdicts;
  for (const [i, p] of test.entries()) {
    if (ours[i] && fused[i]) continue;
    const what = !ours[i] && !fused[i] ? 'both wrong' : fused[i] ? `fixed by ${label}` : `broken by ${label}`;
    console.log(`  ${what}: ${p.same ? 'same' : 'diff'} ${p.a} ${p.b} ours ${p.score.toFixed(3)} ${label} ${p.o.toFixed(3)}`);
  }
}

/** Logistic regression weights (no intercept returned) by Newton's method; features x, labels y. */
function logistic(x: number[][], y: boolean[]): number[] {
  const d = x[0].length + 1;
  const w = new Array(d).fill(0);
  for (let it = 0; it < 30; it++) {
    const g = new Array(d).fill(0), h = Array.from({ length: d }, () => new Array(d).fill(0));
    x.forEach((xi, n) => {
      const f = [...xi, 1];
      const p = 1 / (1 + Math.exp(-f.reduce((s, v, j) => s + v * w[j], 0)));
      for (let j = 0; j < d; j++) { g[j] += ((y[n] ? 1 : 0) - p) * f[j]; for (let k = 0; k < d; k++) h[j][k] += p * (1 - p) * f[j] * f[k]; }
    });
    const step = solve(h, g);
    for (let j = 0; j < d; j++) w[j] += step[j];
  }
  return w.slice(0, -1);
}

/** Gaussian elimination for the small Newton systems. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length, m = a.map((r, i) => [...r, b[i]]);
  for (let i = 0; i < n; i++) {
    const p = m.slice(i).reduce((best, r, k) => (Math.abs(r[i]) > Math.abs(m[best][i]) ? i + k : best), i);
    [m[i], m[p]] = [m[p], m[i]];
    for (let k = i + 1; k < n; k++) { const f = m[k][i] / m[i][i]; for (let j = i; j <= n; j++) m[k][j] -= f * m[i][j]; }
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) x[i] = (m[i][n] - m[i].slice(i + 1, n).reduce((s, v, j) => s + v * x[i + 1 + j], 0)) / m[i][i];
  return x;
}

// Errors of the shipped pipeline on LFW test at its train threshold, for inspection.
if (process.argv.includes('--errors') && data.test) {
  const { threshold } = bestThreshold(shipped('train'));
  for (const p of shipped('test')) {
    if ((p.score >= threshold) !== p.same) console.log(p.same ? 'FN' : 'FP', p.score.toFixed(3), p.a, p.b, `q ${p.qa.toFixed(2)} ${p.qb.toFixed(2)}`, `faces ${data.test.get(p.a)?.faces?.length} ${data.test.get(p.b)?.faces?.length}`);
  }
}

// The ceiling of threshold tuning: the best accuracy on test with the threshold chosen on test itself.
{
  const b = bestThreshold(shipped('test'));
  console.log(`\nLFW test, centre-first, threshold chosen on test (a ceiling, not a result): ${pct(b.accuracy)} at ${b.threshold.toFixed(4)}`);
}

// Adaptive score normalisation (AS-norm): each side's score is standardised against its top-K
// cosines to a cohort of other people's faces (LFW train images; for a train image, its own
// identity's images are left out of its cohort).
{
  const cohort: { who: string; v: Float32Array }[] = [];
  for (const r of data.train!.values()) {
    if (!r.faces?.length) continue;
    cohort.push({ who: r.path.split('/')[0], v: VARIANT.base(CHOICE['centre-first'](r.faces, r.size!))! });
  }
  for (const K of [50, 200, 800]) {
    const stats = new Map<string, [number, number]>();
    const statsOf = (n: SetName, path: string): [number, number] => {
      const key = `${n}:${path}`;
      if (!stats.has(key)) {
        const r = data[n]!.get(path)!;
        const v = VARIANT.base(CHOICE['centre-first'](r.faces!, r.size!))!;
        const who = path.split('/')[0];
        const top = cohort.filter((c) => c.who !== who).map((c) => dot(v, c.v)).sort((a, b) => b - a).slice(0, K);
        const m = top.reduce((s, x) => s + x, 0) / K;
        const sd = Math.sqrt(top.reduce((s, x) => s + (x - m) ** 2, 0) / K);
        stats.set(key, [m, sd]);
      }
      return stats.get(key)!;
    };
    printRow(`AS-norm K=${K} (centre-first)`, (n) => shipped(n).map((p) => {
      const [[ma, sa], [mb, sb]] = [statsOf(n, p.a), statsOf(n, p.b)];
      return { ...p, score: ((p.score - ma) / sa + (p.score - mb) / sb) / 2 };
    }));
  }
}

// Pose- and quality-aware scoring: a logistic regression on train over the cosine and what makes
// same-person cosines drop (pose difference, quality, occlusion), so the decision threshold moves
// with them.
{
  type Attr = FaceRec & { pitch: number; face_occlusion: number };
  const subject = (n: SetName, p: string) => { const r = data[n]!.get(p)!; return CHOICE['centre-first'](r.faces!, r.size!) as Attr; };
  const FEATURES: Record<string, (a: Attr, b: Attr, cos: number) => number[]> = {
    'Δyaw, Δpitch': (a, b, c) => [c, Math.abs(a.yaw - b.yaw) / 30, Math.abs(a.pitch - b.pitch) / 30],
    'Δpose, min quality, max occlusion': (a, b, c) => [c, Math.abs(a.yaw - b.yaw) / 30, Math.abs(a.pitch - b.pitch) / 30, Math.min(a.face_quality, b.face_quality), Math.max(a.face_occlusion, b.face_occlusion)],
    'cos × (Δpose, quality)': (a, b, c) => { const d = Math.abs(a.yaw - b.yaw) / 30 + Math.abs(a.pitch - b.pitch) / 30; const q = Math.min(a.face_quality, b.face_quality); return [c, d, q, c * d, c * q]; },
  };
  for (const [label, f] of Object.entries(FEATURES)) {
    const feats = (n: SetName) => shipped(n).map((p) => ({ ...p, x: f(subject(n, p.a), subject(n, p.b), p.score) }));
    const train = feats('train');
    const w = logistic(train.map((p) => p.x), train.map((p) => p.same));
    printRow(`pose/quality-aware: ${label}`, (n) => feats(n).map((p) => ({ ...p, score: p.x.reduce((s, v, i) => s + v * w[i], 0) })));
  }
}
