/**
 * Liveness (prints and screen replays): fr_liveness on a wide crop around the detected face, fused
 * with cheap colour / texture cues of the face by a small logistic model. Pure: crop geometry, tensor
 * preparation, cues and the fused score, over RGBA buffers. Figures and limits: docs/liveness.md.
 */
import type { Detection } from './detect.js';
import { rectToGrid, warpToTensor, type RgbaImage, type TensorSpec } from './image.js';
import { softmaxAt } from './similarity.js';

/** fr_liveness takes a 128x128 crop. */
export const LIVENESS_INPUT = 128;
/** The crop is the detector box scaled this much around its centre: the model judges the face's surroundings too (paper edges, fingers). */
export const LIVENESS_CROP_SCALE = 2.7;
/**
 * Raw 0–255 values, BGR planes: on NUAA BGR separates live from print far better than RGB
 * (AUC in docs/liveness.md), the same channel order as the embedder.
 */
export const LIVENESS_SPEC: TensorSpec = { channels: [2, 1, 0], mean: [0], std: [1], border: 0 };

/** An axis-aligned rectangle in image pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The model's crop, as its reference code cuts it: the box scaled by `scale` around its centre
 * (by less when that would not fit the image), then shifted, not cut, to lie inside the image.
 * The crop keeps the box's aspect ratio; the resize to 128x128 squeezes it, as in training.
 */
export function livenessCrop(box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>, width: number, height: number, scale = LIVENESS_CROP_SCALE): Rect {
  const bw = Math.max(1, box.x2 - box.x1), bh = Math.max(1, box.y2 - box.y1);
  const s = Math.min(scale, width / bw, height / bh);
  const w = bw * s, h = bh * s;
  const cx = (box.x1 + box.x2) / 2, cy = (box.y1 + box.y2) / 2;
  const x = Math.min(Math.max(cx - w / 2, 0), width - w);
  const y = Math.min(Math.max(cy - h / 2, 0), height - h);
  return { x, y, w, h };
}

/** The 1x3x128x128 input of fr_liveness for one face box. */
export function prepareLivenessInput(
  img: RgbaImage,
  box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>,
  spec: TensorSpec = LIVENESS_SPEC,
  out?: Float32Array,
): Float32Array {
  const r = livenessCrop(box, img.width, img.height);
  return warpToTensor(img, rectToGrid(r.x, r.y, r.w, r.h, LIVENESS_INPUT, LIVENESS_INPUT), LIVENESS_INPUT, LIVENESS_INPUT, spec, out);
}

/** Live score in [0, 1]: softmax of the model's logits, class 0 (live). */
export function livenessScore(logits: ArrayLike<number>): number {
  return softmaxAt(logits, 0);
}

/** Names of livenessCues' values, in order. */
export const LIVENESS_CUES = ['sat_mean', 'cb_std', 'cr_std', 'luma_range', 'specular', 'hf1', 'hf_ratio', 'blue_share', 'luma_mean'] as const;

/**
 * Cheap screen / paper cues of the face's central region (the box shrunk to 70 % around its centre),
 * read on the image's own pixels (at most ~128 samples a side, neighbours at 1 and 2 px for the
 * high-frequency terms): colour saturation and chroma spread (screens' gamut, prints' dull colour),
 * luma range, specular share (bright, colourless pixels), fine-scale high-frequency energy and its
 * ratio to the 2-px scale (moiré, pixel grid, print blur), blue share and mean luma.
 */
export function livenessCues(img: RgbaImage, box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>): number[] {
  const { width: W, height: H, data } = img;
  const cx = (box.x1 + box.x2) / 2, cy = (box.y1 + box.y2) / 2;
  const hw = ((box.x2 - box.x1) * 0.7) / 2, hh = ((box.y2 - box.y1) * 0.7) / 2;
  const x0 = Math.max(2, Math.round(cx - hw)), x1 = Math.min(W - 3, Math.round(cx + hw));
  const y0 = Math.max(2, Math.round(cy - hh)), y1 = Math.min(H - 3, Math.round(cy + hh));
  const step = Math.max(1, Math.ceil(Math.max(x1 - x0, y1 - y0) / 128));
  const luma = (k: number) => 0.299 * data[k] + 0.587 * data[k + 1] + 0.114 * data[k + 2];
  const hist = new Float64Array(256);
  let n = 0, sat = 0, cb = 0, cb2 = 0, cr = 0, cr2 = 0, spec = 0, hf1 = 0, hf2 = 0, blue = 0, sum = 0, lsum = 0;
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      const k = (y * W + x) * 4;
      const r = data[k], g = data[k + 1], b = data[k + 2];
      const mx = Math.max(r, g, b), mn = Math.min(r, g, b);
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      sat += mx > 0 ? (mx - mn) / mx : 0;
      const vb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b, vr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
      cb += vb; cb2 += vb * vb; cr += vr; cr2 += vr * vr;
      if (l >= 240 && mx - mn < 30) spec++;
      hist[Math.min(255, Math.round(l))]++;
      hf1 += Math.abs(4 * l - luma(k - 4) - luma(k + 4) - luma(k - 4 * W) - luma(k + 4 * W));
      hf2 += Math.abs(4 * l - luma(k - 8) - luma(k + 8) - luma(k - 8 * W) - luma(k + 8 * W));
      blue += b; sum += r + g + b; lsum += l;
      n++;
    }
  }
  if (n === 0) return LIVENESS_CUES.map(() => 0);
  const pct = (q: number) => { let c = 0; for (let i = 0; i < 256; i++) { c += hist[i]; if (c >= q * n) return i; } return 255; };
  const sd = (s: number, s2: number) => Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
  const lm = lsum / n;
  return [sat / n, sd(cb, cb2) / 128, sd(cr, cr2) / 128, (pct(0.98) - pct(0.02)) / 255, spec / n, hf1 / n / (lm + 1), hf1 / (hf2 + 1e-6), sum > 0 ? blue / sum : 0, lm / 255];
}

/** A logistic model over the fr_liveness logit and the cues: p(live) = sigmoid(bias + Σ weights · (x - mean) / std). */
export interface LivenessFusion {
  /** Input names, in order: 'model_logit', then LIVENESS_CUES. */
  inputs: readonly string[];
  mean: readonly number[];
  std: readonly number[];
  weights: readonly number[];
  bias: number;
}

/** log(p / (1 - p)), p clamped to [1e-7, 1 - 1e-7] (the model's softmax saturates at 0 and 1). */
export function liveLogit(p: number): number {
  return Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));
}

/** p(live) of one input vector. */
export function applyLivenessFusion(m: LivenessFusion, x: readonly number[]): number {
  let a = m.bias;
  for (let j = 0; j < m.weights.length; j++) a += m.weights[j] * ((x[j] - m.mean[j]) / m.std[j]);
  return 1 / (1 + Math.exp(-a));
}

/**
 * The shipped fusion: fitted by tools/liveness/eval-sets.ts (L2-penalised logistic regression, each set
 * weighted the same) on the developers' frames of NUAA, MSU-MFSD (its train clients) and OULU-NPU
 * (users 36–45). Figures per set and per attack medium: docs/liveness.md.
 */
export const LIVENESS_FUSION: LivenessFusion = {
  inputs: ['model_logit', ...LIVENESS_CUES],
  mean: [-2.212708898179268, 0.31838125734996453, 0.04121401194808931, 0.04892124545030512, 0.543267375600126, 0.04862655609188314, 0.06145781523668257, 0.4965584023958028, 0.28006470303775516, 0.5001897245128034],
  std: [8.008830403773644, 0.14557557048107755, 0.016410333810390015, 0.020315066583407104, 0.17232261492681786, 0.13731577540386497, 0.03536807255218059, 0.06541905567802998, 0.03777692155239745, 0.17692151512340876],
  weights: [3.0172968368756, 0.14428235266187553, -0.2581138291261897, -0.9065810692086983, -0.004472315113398556, 0.720293971597764, 0.7287288802673485, 0.25146990320184265, 0.1438604313625562, -0.4264780892106899],
  bias: -0.8210273191486903,
};

/**
 * The live score the SDK decides on: fr_liveness's score (livenessScore) fused with the face's cues
 * (livenessCues) by LIVENESS_FUSION. In [0, 1], 1 = live; compared with LIVENESS_THRESHOLD.
 */
export function fuseLiveness(modelScore: number, cues: readonly number[], fusion: LivenessFusion = LIVENESS_FUSION): number {
  return applyLivenessFusion(fusion, [liveLogit(modelScore), ...cues]);
}
