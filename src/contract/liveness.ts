/** Liveness (print-attack detection): the shipped threshold and the result shape. How both were chosen: docs/liveness.md. */

/**
 * Live score at or above which a face is judged live (score in [0, 1], 1 = live). Chosen on the
 * shared NUAA print-attack set by tools/liveness/eval-liveness.ts (rule and figures: docs/liveness.md).
 */
export const LIVENESS_THRESHOLD = 0.31;

/** Which images compareFaces checks for liveness: none (default), the second (the live capture), or both. */
export const LIVENESS_CHECKS = ['off', 'image2', 'both'] as const;
export type LivenessCheck = (typeof LIVENESS_CHECKS)[number];

/** Liveness of an image's main face. */
export interface LivenessResult {
  /** Live score in [0, 1]: 1 = a live person, 0 = a printed photo. */
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
