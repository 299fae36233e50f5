/**
 * fr_pose (HopeNet-style: three 66-bin heads, 3° bins) pre- and post-processing. Evaluated
 * against the landmark fit in tools/attributes/eval-attributes.ts; see docs/attributes.md for the verdict.
 */
import type { Detection } from 'face-compare-sdk/internal';
import { rectToGrid, warpToTensor, type RgbaImage, type TensorSpec } from 'face-compare-sdk/internal';

export const POSE_INPUT = 224;
// ImageNet mean / std on 0–255 pixels, RGB; the out-of-image border is the mean grey.
const POSE_SPEC: TensorSpec = { channels: [0, 1, 2], mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], border: 117 };

/** The reference crop: the detector box grown by a quarter of its size on each side, stretched to 224². */
export function preparePoseInput(img: RgbaImage, box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>, out?: Float32Array): Float32Array {
  const w = box.x2 - box.x1, h = box.y2 - box.y1;
  return warpToTensor(img, rectToGrid(box.x1 - w / 4, box.y1 - h / 4, 1.5 * w, 1.5 * h, POSE_INPUT, POSE_INPUT), POSE_INPUT, POSE_INPUT, POSE_SPEC, out);
}

/** Expected angle of one 66-bin head: Σ softmax(bin) · (3 · bin − 99), degrees. */
export function binnedAngle(logits: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  let z = 0, s = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - m);
    z += e;
    s += e * i;
  }
  return (s / z) * 3 - 99;
}

/** The network's raw angles (HopeNet's own conventions, before any sign mapping). */
export function decodePoseOutputs(out: Record<string, Float32Array>): { yaw: number; pitch: number; roll: number } {
  return { yaw: binnedAngle(out.output), pitch: binnedAngle(out['617']), roll: binnedAngle(out['618']) };
}
