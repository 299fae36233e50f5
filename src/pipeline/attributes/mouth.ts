/** Mouth opening from the inner-lip landmarks. */
import { clamp01, dist, pt } from './geometry.js';

/** Inner-lip gap (mean of 61–67, 62–66, 63–65) over the mouth width (48–54). */
export function mouthGapRatio(pts: ArrayLike<number>): number {
  const gap = (dist(pt(pts, 61), pt(pts, 67)) + dist(pt(pts, 62), pt(pts, 66)) + dist(pt(pts, 63), pt(pts, 65))) / 3;
  const width = dist(pt(pts, 48), pt(pts, 54));
  return width > 0 ? gap / width : 0;
}

/**
 * Gap ratios at which the mouth counts as closed and as wide open. Closed lips leave a landmark gap
 * up to 0.05 (Yale "normal": all 15 ≤ 0.05); a wide-open mouth reaches 0.55 (AFW's 99th percentile
 * of annotated mouths 0.55; Yale "surprised" up to 0.70).
 */
export const MOUTH_CLOSED_RATIO = 0.05;
export const MOUTH_WIDE_RATIO = 0.55;

/** 0–1: 0 for closed lips, 1 for a mouth open at least as wide as MOUTH_WIDE_RATIO, linear between. */
export function mouthOpened(pts: ArrayLike<number>): number {
  return clamp01((mouthGapRatio(pts) - MOUTH_CLOSED_RATIO) / (MOUTH_WIDE_RATIO - MOUTH_CLOSED_RATIO));
}
