/**
 * A small logistic model over the liveness model's logit and the face's cheap cues: standardised
 * inputs, L2-penalised, each set weighted the same and, within a set, live and attack frames the
 * same. Fitted by Newton's method (a dozen inputs at most); the result is plain data to ship.
 */
import { applyLivenessFusion, type LivenessFusion } from 'face-compare-sdk/internal';

/** The same shape as the SDK's LIVENESS_FUSION. */
export interface FusionModel extends LivenessFusion {
  inputs: string[];
  mean: number[];
  std: number[];
  weights: number[];
}

export interface FitRow {
  x: number[];
  live: boolean;
  set: string;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solveSmall(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Sample weights: every set sums to 1, split evenly between its live and its attack frames. */
export function balancedWeights(rows: FitRow[]): number[] {
  const count = new Map<string, number>();
  const key = (r: FitRow) => `${r.set}|${r.live}`;
  for (const r of rows) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  return rows.map((r) => 1 / 2 / count.get(key(r))!);
}

export function fitLogistic(rows: FitRow[], inputs: string[], lambda = 1e-2, iterations = 50): FusionModel {
  const d = inputs.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + r.x[j], 0) / rows.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((a, r) => a + (r.x[j] - mean[j]) ** 2, 0) / rows.length) || 1);
  const Z = rows.map((r) => [1, ...r.x.map((v, j) => (v - mean[j]) / std[j])]);
  const sw = balancedWeights(rows);
  const total = sw.reduce((a, b) => a + b, 0);
  let w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < rows.length; i++) {
      const z = Z[i];
      const p = sigmoid(z.reduce((a, v, j) => a + v * w[j], 0));
      const y = rows[i].live ? 1 : 0;
      const s = sw[i] / total;
      for (let j = 0; j <= d; j++) {
        g[j] += s * (p - y) * z[j];
        for (let k = 0; k <= d; k++) H[j][k] += s * p * (1 - p) * z[j] * z[k];
      }
    }
    // The bias is not penalised.
    for (let j = 1; j <= d; j++) { g[j] += lambda * w[j]; H[j][j] += lambda; }
    H[0][0] += 1e-9;
    const step = solveSmall(H, g);
    w = w.map((v, j) => v - step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return { inputs, mean, std, weights: w.slice(1), bias: w[0] };
}

/** p(live) of one input vector: the SDK's own function, so tools and SDK cannot differ. */
export const applyFusion = (m: FusionModel, x: number[]): number => applyLivenessFusion(m, x);
