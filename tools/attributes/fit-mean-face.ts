/**
 * npx tsx tools/attributes/fit-mean-face.ts
 * Recovers a 3D mean face for the 68 iBUG points from the AFW 300-W annotations alone (no third-party
 * 3D model): rank-3 factorisation of the centred 2D shapes under scaled orthography (Tomasi–Kanade)
 * with the metric upgrade that makes each view's two rows orthogonal and of equal length. Every face
 * is added mirrored too, so the model comes out left–right symmetric. Writes src/pipeline/attributes/mean-face.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { solve } from 'face-compare-sdk/internal';
import { symmetricEigen } from '../../test/support/eigen.js';
import { FLIP_68 } from 'face-compare-sdk/internal';

const DATA = new URL('../../../shared/data/afw_300w/landmarks.json', import.meta.url).pathname;
const faces = JSON.parse(readFileSync(DATA, 'utf8')) as { points: number[][] }[];
const N = 68;

// Rows of W: x then y of each (mirrored) view, centred and scaled to unit RMS.
const rows: Float64Array[] = [];
for (const f of faces) {
  for (const mirror of [false, true]) {
    const xs = new Float64Array(N), ys = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const [x, y] = f.points[mirror ? FLIP_68[i] : i];
      xs[i] = mirror ? -x : x; ys[i] = y;
    }
    const mx = xs.reduce((a, b) => a + b) / N, my = ys.reduce((a, b) => a + b) / N;
    let ss = 0;
    for (let i = 0; i < N; i++) { xs[i] -= mx; ys[i] -= my; ss += xs[i] ** 2 + ys[i] ** 2; }
    const k = 1 / Math.sqrt(ss / N);
    rows.push(xs.map((v) => v * k), ys.map((v) => v * k));
  }
}

// W = U Σ Vᵀ: the shape basis is the top three eigenvectors of WᵀW, the motion M = W V.
const G = new Float64Array(N * N);
for (const r of rows) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) G[i * N + j] += r[i] * r[j];
const { values, vectors } = symmetricEigen(G, N);
console.log('singular values', Array.from(values.slice(0, 5), (v) => Math.sqrt(v).toFixed(2)).join(' '));
const V = (i: number, c: number) => vectors[i * N + c];
const M = rows.map((r) => [0, 1, 2].map((c) => r.reduce((s, v, i) => s + v * V(i, c), 0)));

// Metric upgrade: find symmetric L = Q Qᵀ with aᵀLa = bᵀLb and aᵀLb = 0 for each view (a, b its rows).
const sym = (a: number[], b: number[]) => [a[0] * b[0], a[1] * b[1], a[2] * b[2], a[0] * b[1] + a[1] * b[0], a[0] * b[2] + a[2] * b[0], a[1] * b[2] + a[2] * b[1]];
const AtA = new Float64Array(36), Atb = new Float64Array(6);
const addRow = (row: number[], y: number, w = 1) => {
  for (let i = 0; i < 6; i++) { Atb[i] += w * row[i] * y; for (let j = 0; j < 6; j++) AtA[i * 6 + j] += w * row[i] * row[j]; }
};
const norm = [0, 0, 0, 0, 0, 0];
for (let f = 0; f < M.length; f += 2) {
  const a = M[f], b = M[f + 1];
  const aa = sym(a, a), bb = sym(b, b);
  addRow(aa.map((v, i) => v - bb[i]), 0);
  addRow(sym(a, b), 0);
  aa.forEach((v, i) => { norm[i] += v / (M.length / 2); });
}
addRow(norm, 1, M.length); // fixes the overall scale
const l = solve(AtA, Atb, 6);
const L = Float64Array.of(l[0], l[3], l[4], l[3], l[1], l[5], l[4], l[5], l[2]);
const e = symmetricEigen(L, 3);
if (e.values[2] <= 0) throw new Error('metric upgrade failed: L is not positive definite');
// Q = E √Λ, so Q⁻¹ = √Λ⁻¹ Eᵀ; the 3D shape is Q⁻¹ S with S = Vᵀ (3 x 68).
const X = Array.from({ length: N }, (_, i) => [0, 1, 2].map((r) => {
  let s = 0;
  for (let c = 0; c < 3; c++) s += e.vectors[c * 3 + r] * V(i, c);
  return s / Math.sqrt(e.values[r]);
}));

// Canonical frame: x from the subject's right eye to the left (image left → right in a frontal
// view), y from the eyes down to the mouth, z = x × y (into the scene); origin at the centroid,
// unit = distance between the eye centres.
const mean = (idx: number[]) => [0, 1, 2].map((c) => idx.reduce((s, i) => s + X[i][c], 0) / idx.length);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const re = mean(range(36, 42)), le = mean(range(42, 48)), mo = mean(range(48, 68)), c0 = mean(range(0, N));
const sub = (p: number[], q: number[]) => p.map((v, i) => v - q[i]);
const dot = (p: number[], q: number[]) => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
const unit = (p: number[]) => { const n = Math.hypot(...p); return p.map((v) => v / n); };
const ex = unit(sub(le, re));
const down = sub(mo, [0, 1, 2].map((i) => (re[i] + le[i]) / 2));
const ey = unit(sub(down, ex.map((v) => v * dot(down, ex))));
let ez = [ex[1] * ey[2] - ex[2] * ey[1], ex[2] * ey[0] - ex[0] * ey[2], ex[0] * ey[1] - ex[1] * ey[0]];
const scale = Math.hypot(...sub(le, re));
let model = X.map((p) => { const q = sub(p, c0); return [dot(q, ex) / scale, dot(q, ey) / scale, dot(q, ez) / scale]; });
// Factorisation leaves a depth reflection open: the nose tip must stand out toward the camera (−z).
if (model[30][2] > mean(range(36, 48))[2] - c0[2]) { ez = ez.map((v) => -v); model = model.map(([x, y, z]) => [x, y, -z]); }
// Exact symmetry (the mirrored views make it symmetric up to round-off).
model = model.map((p, i) => { const q = model[FLIP_68[i]]; return [(p[0] - q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2]; });

const fmt = (v: number) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4);
const body = model.map((p) => `  ${p.map(fmt).join(', ')},`).join('\n');
writeFileSync(new URL('../../src/pipeline/attributes/mean-face.ts', import.meta.url), `/**
 * 3D mean face of the 68 iBUG points, generated by tools/attributes/fit-mean-face.ts from the AFW 300-W
 * annotations (factorisation of ${faces.length} faces and their mirror images). Frame: x toward the
 * subject's left eye (image right in a frontal view), y down, z into the scene (the nose tip has
 * z < 0); origin at the centroid; unit = distance between the eye centres. Do not edit by hand.
 */
// prettier-ignore
export const MEAN_FACE_3D: readonly number[] = [
${body}
];
`);
console.log('nose tip', model[30].map(fmt).join(' '), 'jaw end', model[0].map(fmt).join(' '));
