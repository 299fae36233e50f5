/**
 * Fitness of a face for recognition, 0–1: the product of five factors (sharpness, size, pose, light,
 * occlusion), each 1 where the embedder works well and falling linearly to 0 where it fails.
 * Checked on blurred, darkened, downscaled and turned faces and on LFW View 1 test pairs
 * (docs/attributes.md).
 */
import { ALIGN_SIZE } from '../align.js';
import { clamp01 } from './geometry.js';

/** Luma (0–255) of the embedder's aligned tensor (BGR planes, (x − 127) / 128). */
export function alignedLuma(tensor: Float32Array): Float32Array {
  const n = ALIGN_SIZE * ALIGN_SIZE, luma = new Float32Array(n);
  for (let i = 0; i < n; i++) luma[i] = (0.114 * tensor[i] + 0.587 * tensor[n + i] + 0.299 * tensor[2 * n + i]) * 128 + 127;
  return luma;
}

/**
 * Focus: variance of the 3x3 Laplacian over the central face (eyes to chin, between the cheeks)
 * of the 112x112 aligned crop. The crop's scale is fixed, so the value compares faces of any size;
 * a face smaller than the crop is upsampled and reads soft, as the embedder sees it.
 */
export function sharpness(luma: Float32Array): number {
  const S = ALIGN_SIZE;
  let sum = 0, sum2 = 0, k = 0;
  for (let y = 40; y < 104; y++) {
    for (let x = 28; x < 84; x++) {
      const i = y * S + x;
      const l = luma[i - 1] + luma[i + 1] + luma[i - S] + luma[i + S] - 4 * luma[i];
      sum += l; sum2 += l * l; k++;
    }
  }
  const mean = sum / k;
  return sum2 / k - mean * mean;
}

export interface QualityInputs {
  sharpness: number;
  /** Eye distance in working pixels (the image the pipeline analyses, at most 2048 px a side), not the caller's pixels. */
  eyeDist: number;
  yaw: number;
  pitch: number;
  luminance: number;
  occlusion: number;
}

/**
 * Where each factor leaves 1 (full) and where it reaches 0 (zero). Full marks span the faces the
 * embedder verifies reliably: the platform itself gives 1.0 to its example faces at 26° yaw, 21°
 * pitch, 23° roll; LFW View 1 test faces have Laplacian variance 58–576 (5th–99th percentile) and
 * eye distances 35–51 px (docs/attributes.md shows the resulting curves).
 */
export const QUALITY_RANGES = {
  sharpness: { zero: 5, full: 60 },
  eyeDist: { zero: 10, full: 32 },
  yaw: { full: 30, zero: 60 },
  pitch: { full: 20, zero: 45 },
  darkLuma: { zero: 20, full: 70 },
  brightLuma: { full: 210, zero: 250 },
  occlusion: { full: 0.1, zero: 0.5 },
} as const;

const rise = (v: number, r: { zero: number; full: number }) => clamp01((v - r.zero) / (r.full - r.zero));
const fall = (v: number, r: { full: number; zero: number }) => clamp01((r.zero - v) / (r.zero - r.full));

/** The five factors, each 0–1 (exposed for reports and tests). */
export function qualityFactors(q: QualityInputs): Record<'sharpness' | 'size' | 'pose' | 'light' | 'occlusion', number> {
  const R = QUALITY_RANGES;
  return {
    sharpness: rise(q.sharpness, R.sharpness),
    size: rise(q.eyeDist, R.eyeDist),
    pose: fall(Math.abs(q.yaw), R.yaw) * fall(Math.abs(q.pitch), R.pitch),
    light: rise(q.luminance, R.darkLuma) * fall(q.luminance, R.brightLuma),
    occlusion: fall(q.occlusion, R.occlusion),
  };
}

export function faceQuality(q: QualityInputs): number {
  const f = qualityFactors(q);
  return clamp01(f.sharpness * f.size * f.pose * f.light * f.occlusion);
}
