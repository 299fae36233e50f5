/**
 * Face occlusion: the share of the face region that something hides (hand, sunglasses, mask, hair,
 * an object). A small learned model, because no ready one exists: every cell of a 28x28 grid over
 * the aligned face is compared with what that spot of a face looks like (per-position statistics
 * of clean faces) through five illumination-robust feature maps, and a 47-32-1 perceptron turns a
 * cell's 3x3 neighbourhood of those comparisons into the probability that the cell is covered.
 * The score is the share of the cells inside the face's outline (brows to chin) judged covered.
 * Trained on LFW View 1 train faces with synthetic occluders (tools/attributes/fit-occlusion-model.ts);
 * validated on unseen LFW faces, Yale and AFW's real sunglasses and hands (docs/attributes.md).
 */
import { ALIGN_SIZE } from '../align.js';
import { applyAffine, invertAffine, warpToTensor, type Affine, type RgbaImage, type TensorSpec } from '../image.js';
import { faceOutline, insidePolygon } from './geometry.js';
import { OCCLUSION_MODEL } from './occlusion-model.js';

/** Grid side over the 112x112 aligned face: 4 px cells, fine enough for an eye or a nostril. */
export const OCC_GRID = 28;
export const OCC_CELLS = OCC_GRID * OCC_GRID;
/** Feature maps per cell, and the perceptron's input width (3x3 neighbourhood of each, plus x, y). */
export const OCC_MAPS = 5;
export const OCC_INPUTS = OCC_MAPS * 9 + 2;

export interface OcclusionModel {
  /** Per-position mean and spread of each feature map over clean faces, [map · 784 + cell]. */
  mean: Float32Array;
  std: Float32Array;
  hidden: number;
  /** Hidden layer weights [h · OCC_INPUTS + i], biases, output weights, output bias. */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: number;
  /** Calibration: share hidden = gain · share of cells judged covered (least squares on held-out faces). */
  gain: number;
}

const RGB: TensorSpec = { channels: [0, 1, 2], mean: [0], std: [1], border: 0 };

/** The aligned face at 28x28, RGB planes 0–255, sampled straight from the source image. */
export function occlusionInput(img: RgbaImage, srcToCrop: Affine, out?: Float32Array): Float32Array {
  const inv = invertAffine(srcToCrop), k = ALIGN_SIZE / OCC_GRID;
  const map: Affine = [inv[0] * k, inv[1] * k, inv[2], inv[3] * k, inv[4] * k, inv[5]];
  return warpToTensor(img, map, OCC_GRID, OCC_GRID, RGB, out);
}

/** Grid cells whose centre lies inside the face's outline (jaw and brows), 1 = face. */
export function faceCellMask(pts: ArrayLike<number>, srcToCrop: Affine): Uint8Array {
  const poly = faceOutline(pts);
  const k = OCC_GRID / ALIGN_SIZE;
  for (let i = 0; i < poly.length; i += 2) {
    const [u, v] = applyAffine(srcToCrop, poly[i], poly[i + 1]);
    poly[i] = u * k; poly[i + 1] = v * k;
  }
  const mask = new Uint8Array(OCC_CELLS);
  for (let y = 0; y < OCC_GRID; y++) for (let x = 0; x < OCC_GRID; x++) mask[y * OCC_GRID + x] = insidePolygon(x + 0.5, y + 0.5, poly) ? 1 : 0;
  return mask;
}

function median(values: ArrayLike<number>, idx: readonly number[], f: (v: number) => number = (v) => v): number {
  const s = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) s[k] = f(values[idx[k]]);
  s.sort();
  return s.length ? s[s.length >> 1] : 0;
}

/**
 * Five maps, each free of the face's overall exposure and skin tone:
 * 0 luma relative to the face (median / MAD), 1 local contrast-normalised luma (3x3), 2 local
 * structure (log 3x3 luma spread over the face's spread), 3–4 chromaticity (B−Y, R−Y over Y)
 * minus the face's median (unknown, NaN, in a greyscale photo). A hand is skin-coloured but moves
 * maps 0–2; a flat patch kills the structure an eye or a mouth should have; a scarf shifts the chroma.
 */
export function featureMaps(rgb: Float32Array, mask: Uint8Array): Float32Array {
  const N = OCC_CELLS, G = OCC_GRID;
  const Y = new Float32Array(N), cb = new Float32Array(N), cr = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const r = rgb[i], g = rgb[N + i], b = rgb[2 * N + i];
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    Y[i] = y; cb[i] = (b - y) / (y + 20); cr[i] = (r - y) / (y + 20);
  }
  const inFace: number[] = [];
  for (let i = 0; i < N; i++) if (mask[i]) inFace.push(i);
  const med = median(Y, inFace);
  const spread = median(Y, inFace, (v) => Math.abs(v - med)) + 2;
  const mcb = median(cb, inFace), mcr = median(cr, inFace);
  // A greyscale photo has no chroma to compare: mark it unknown (it standardises to "as expected").
  const grey = median(cb, inFace, (v) => Math.abs(v - mcb)) + median(cr, inFace, (v) => Math.abs(v - mcr)) < 1e-3;
  const maps = new Float32Array(OCC_MAPS * N);
  for (let y = 0; y < G; y++) {
    for (let x = 0; x < G; x++) {
      let s = 0, s2 = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(G - 1, Math.max(0, y + dy));
        for (let dx = -1; dx <= 1; dx++) {
          const v = Y[yy * G + Math.min(G - 1, Math.max(0, x + dx))];
          s += v; s2 += v * v; n++;
        }
      }
      const i = y * G + x, m = s / n, sd = Math.sqrt(Math.max(0, s2 / n - m * m));
      maps[i] = (Y[i] - med) / spread;
      maps[N + i] = (Y[i] - m) / (sd + 0.25 * spread);
      maps[2 * N + i] = Math.log((sd + 1) / spread);
      maps[3 * N + i] = grey ? NaN : (cb[i] - mcb) * 10;
      maps[4 * N + i] = grey ? NaN : (cr[i] - mcr) * 10;
    }
  }
  return maps;
}

/** Maps standardised by the clean-face statistics of each position (unknown values → 0, "as expected"). */
export function standardise(maps: Float32Array, model: Pick<OcclusionModel, 'mean' | 'std'>): Float32Array {
  const z = new Float32Array(maps.length);
  for (let i = 0; i < maps.length; i++) z[i] = Number.isNaN(maps[i]) ? 0 : (maps[i] - model.mean[i]) / model.std[i];
  return z;
}

/** The perceptron's input for one cell: each map's 3x3 neighbourhood (edge-clamped), then x, y in [−1, 1]. */
export function cellInputs(z: Float32Array, cell: number, out: Float32Array = new Float32Array(OCC_INPUTS)): Float32Array {
  const G = OCC_GRID, x = cell % G, y = (cell - x) / G;
  let k = 0;
  for (let m = 0; m < OCC_MAPS; m++) {
    for (let dy = -1; dy <= 1; dy++) {
      const yy = Math.min(G - 1, Math.max(0, y + dy));
      for (let dx = -1; dx <= 1; dx++) out[k++] = z[m * OCC_CELLS + yy * G + Math.min(G - 1, Math.max(0, x + dx))];
    }
  }
  out[k++] = (2 * x + 1) / G - 1;
  out[k] = (2 * y + 1) / G - 1;
  return out;
}

/** Probability that one cell is covered. */
function cellProbability(inputs: Float32Array, model: OcclusionModel): number {
  const { w1, b1, w2, hidden } = model;
  let o = model.b2;
  for (let h = 0, row = 0; h < hidden; h++, row += OCC_INPUTS) {
    let a = b1[h];
    for (let i = 0; i < OCC_INPUTS; i++) a += w1[row + i] * inputs[i];
    o += w2[h] * Math.tanh(a);
  }
  return 1 / (1 + Math.exp(-o));
}

/** Per-cell probability of being covered (0 outside the face). */
export function occlusionMap(rgb: Float32Array, mask: Uint8Array, model: OcclusionModel = OCCLUSION_MODEL): Float32Array {
  const z = standardise(featureMaps(rgb, mask), model);
  const p = new Float32Array(OCC_CELLS), buf = new Float32Array(OCC_INPUTS);
  for (let i = 0; i < OCC_CELLS; i++) if (mask[i]) p[i] = cellProbability(cellInputs(z, i, buf), model);
  return p;
}

/**
 * Cell probabilities → share of the face hidden. A cell counts fully above 0.75 and not at all
 * below 0.25: the perceptron leaves clean cells at 0.05–0.2, and summing those raw would put every
 * bare face near 0.08 (LFW test: mean 0.075 raw, 0.031 with the ramp; occluded shares unchanged).
 */
export function occludedShare(p: Float32Array, mask: Uint8Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < OCC_CELLS; i++) {
    if (!mask[i]) continue;
    s += Math.min(1, Math.max(0, (p[i] - 0.25) / 0.5));
    n++;
  }
  return n ? s / n : 0;
}

/** Share of the face hidden, 0–1. */
export function faceOcclusion(rgb: Float32Array, mask: Uint8Array, model: OcclusionModel = OCCLUSION_MODEL): number {
  return Math.min(1, model.gain * occludedShare(occlusionMap(rgb, mask, model), mask));
}
