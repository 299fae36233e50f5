/**
 * Liveness (print attacks): fr_liveness on a wide crop around the detected face. Pure: crop
 * geometry, tensor preparation and the score, over RGBA buffers. Figures and limits: docs/liveness.md.
 */
import type { Detection } from './detect.js';
import { rectToGrid, warpToTensor, type RgbaImage, type TensorSpec } from './image.js';
import { softmaxAt } from './similarity.js';

/** fr_liveness takes a 128x128 crop. */
export const LIVENESS_INPUT = 128;
/** The crop is the detector box scaled this much around its centre: the model judges the face's surroundings too (paper edges, fingers). */
const LIVENESS_CROP_SCALE = 2.7;
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
