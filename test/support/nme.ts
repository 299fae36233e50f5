/**
 * Normalised mean error: mean point distance over the outer-eye-corner distance (points 36, 45),
 * the 300-W convention.
 */
export function nme(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  const iod = Math.hypot(truth[72] - truth[90], truth[73] - truth[91]);
  let sum = 0;
  for (let i = 0; i < 68; i++) sum += Math.hypot(pred[2 * i] - truth[2 * i], pred[2 * i + 1] - truth[2 * i + 1]);
  return sum / 68 / iod;
}
