/**
 * Eye state: fr_eye's probability that an eye is closed, on a 24x24 gray crop cut from the
 * landmarks. "Left" and "right" are the subject's: left = points 42–47 (image right in a frontal
 * photo), as in the platform's point order; checked on Yale winks and mirrored copies.
 */
import { softmaxAt } from '../similarity.js';
import { centroid, type Landmarks68 } from '../landmarks.js';
import { warpToTensor, type Affine, type RgbaImage, type TensorSpec } from '../image.js';
import { dist, eyeLineAngle, pt } from './geometry.js';

export const EYE_INPUT = 24;
const EYE_SPEC: TensorSpec = { channels: 'gray', mean: [0], std: [255], border: 0 };
/** Crop side over the eye's corner-to-corner width: the reference's 1.6 (1.4–2.0 measured no better on Yale). */
const EYE_CROP_SCALE = 1.6;

/**
 * Square eye crop for fr_eye: centred on the eye's four lid points, 1.6 x the corner-to-corner width,
 * turned with the eye line so a tilted head still gives an upright eye (the reference's axis-aligned
 * crop: 10/14 Yale winks right against 12/14).
 */
export function prepareEyeInput(img: RgbaImage, pts: Landmarks68, eye: readonly number[], out?: Float32Array): Float32Array {
  const [cx, cy] = centroid(pts, [eye[1], eye[2], eye[4], eye[5]]);
  const size = Math.max(4, dist(pt(pts, eye[0]), pt(pts, eye[3])) * EYE_CROP_SCALE);
  const a = eyeLineAngle(pts);
  const k = size / EYE_INPUT, c = Math.cos(a) * k, s = Math.sin(a) * k;
  const h = EYE_INPUT / 2;
  // crop (u, v) → source: centre + R(a) · k · (u − h, v − h)
  const map: Affine = [c, -s, cx - c * h + s * h, s, c, cy - s * h - c * h];
  return warpToTensor(img, map, EYE_INPUT, EYE_INPUT, EYE_SPEC, out);
}

/**
 * The eye crop mirrored left–right. fr_eye is not symmetric: a winking left eye and the same eye
 * mirrored differed by 0.27 in closed probability on average (Yale winks); averaging both cuts the
 * difference between a photo and its mirror image to 0.07, and leaves the accuracy as it was.
 */
export function mirrorEyeInput(crop: Float32Array): Float32Array {
  const out = new Float32Array(crop.length);
  for (let y = 0; y < EYE_INPUT; y++) for (let x = 0; x < EYE_INPUT; x++) out[y * EYE_INPUT + x] = crop[y * EYE_INPUT + EYE_INPUT - 1 - x];
  return out;
}

/** fr_eye's two logits → probability that the eye is closed (class 0 is "closed": Yale sleepy 0.95, open faces 0.05). */
export function eyeClosedProbability(logits: ArrayLike<number>): number {
  return softmaxAt(logits, 0);
}

/** Eye aspect ratio (Soukupová & Čech 2016) of one eye's six points: lid opening over width. */
export function eyeAspectRatio(pts: ArrayLike<number>, eye: readonly number[]): number {
  const p = eye.map((i) => pt(pts, i));
  return (dist(p[1], p[5]) + dist(p[2], p[4])) / (2 * dist(p[0], p[3]) || 1);
}
