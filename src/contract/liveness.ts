/** Liveness (print and screen-replay detection): the shipped threshold and the result shape. How both were chosen: docs/liveness.md. */

/**
 * Live score at or above which a face is judged live (score in [0, 1], 1 = live): the fused score of
 * fr_liveness and the face's screen/paper cues. One threshold chosen across the NUAA, MSU-MFSD and
 * OULU-NPU developer sets (lowest mean ACER) by tools/liveness/eval-sets.ts; it was 0.31 on the model's
 * score alone, chosen on NUAA only (rule and figures: docs/liveness.md).
 */
export const LIVENESS_THRESHOLD = 0.56;

/** Which images compareFaces checks for liveness: none (default), the second (the live capture), or both. */
export const LIVENESS_CHECKS = ['off', 'image2', 'both'] as const;
export type LivenessCheck = (typeof LIVENESS_CHECKS)[number];

/** Liveness of an image's main face. */
export interface LivenessResult {
  /** Live score in [0, 1]: 1 = a live person, 0 = a printed photo or a screen. */
  score: number;
  /** score >= threshold. */
  live: boolean;
  /** The threshold applied (LIVENESS_THRESHOLD unless the call set one). */
  threshold: number;
  /** The main face's detector box, in the caller's pixels. */
  box: { x1: number; y1: number; x2: number; y2: number };
}

/** Liveness of one face of an analysis (`analyzeDetailed(image, { liveness: true })`): the score and its decision. */
export type FaceLiveness = Pick<LivenessResult, 'score' | 'live' | 'threshold'>;
