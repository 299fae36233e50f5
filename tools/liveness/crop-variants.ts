/**
 * Crop variants of fr_liveness's input that were measured and not shipped (docs/liveness.md): the
 * crop kept at its scale around the face and completed past the image edge by the edge pixel, the
 * mirrored image or black, instead of shifted inside the image; other scales; the left-right mirror.
 */
import { LIVENESS_CROP_SCALE, LIVENESS_INPUT, LIVENESS_SPEC, livenessCrop, rectToGrid, warpToTensor, type Detection, type Rect, type RgbaImage, type TensorSpec } from 'face-compare-sdk/internal';

/**
 * How the crop is completed where the scaled box leaves the image: 'shift' moves the crop inside the
 * image and shrinks it when it cannot fit (the reference code); the others keep the crop at `scale`
 * around the face and fill what lies outside the image with the nearest edge pixel ('edge'), the
 * image mirrored at its edge ('mirror') or black ('constant').
 */
export type LivenessPad = 'shift' | 'edge' | 'mirror' | 'constant';

export interface LivenessCropOptions {
  /** Box scale around its centre (default LIVENESS_CROP_SCALE). */
  scale?: number;
  /** Default 'shift'. */
  pad?: LivenessPad;
  /** Mirror the crop left-right. */
  flip?: boolean;
}

/** The crop's rectangle: livenessCrop for 'shift', else the box scaled around its centre, possibly past the image edge. */
export function livenessRect(box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>, width: number, height: number, scale = LIVENESS_CROP_SCALE, pad: LivenessPad = 'shift'): Rect {
  if (pad === 'shift') return livenessCrop(box, width, height, scale);
  const bw = Math.max(1, box.x2 - box.x1), bh = Math.max(1, box.y2 - box.y1);
  const w = bw * scale, h = bh * scale;
  return { x: (box.x1 + box.x2) / 2 - w / 2, y: (box.y1 + box.y2) / 2 - h / 2, w, h };
}

/** Output index → index inside [lo, hi) for a padded axis. */
function padIndex(i: number, lo: number, hi: number, pad: LivenessPad): number {
  if (i >= lo && i < hi) return i;
  if (pad === 'mirror') {
    const j = i < lo ? 2 * lo - 1 - i : 2 * hi - 1 - i;
    return Math.min(hi - 1, Math.max(lo, j));
  }
  return i < lo ? lo : hi - 1;
}

/**
 * The n x n planar tensor of `spec` for a rectangle that may leave the image: the output pixels whose
 * footprint lies inside the image are warped exactly as warpToTensor does for the whole grid, the
 * others filled by `pad`.
 */
export function warpPadded(img: RgbaImage, r: Rect, n: number, spec: TensorSpec, pad: LivenessPad, out?: Float32Array): Float32Array {
  const sx = r.w / n, sy = r.h / n;
  const clampN = (v: number) => Math.min(n, Math.max(0, v));
  const u0 = clampN(Math.ceil(-r.x / sx - 1e-9)), u1 = clampN(Math.floor((img.width - r.x) / sx + 1e-9));
  const v0 = clampN(Math.ceil(-r.y / sy - 1e-9)), v1 = clampN(Math.floor((img.height - r.y) / sy + 1e-9));
  if (pad === 'shift' || (u0 === 0 && v0 === 0 && u1 === n && v1 === n) || u1 <= u0 || v1 <= v0) {
    return warpToTensor(img, rectToGrid(r.x, r.y, r.w, r.h, n, n), n, n, spec, out);
  }
  const iw = u1 - u0, ih = v1 - v0;
  const inner = warpToTensor(img, rectToGrid(r.x + u0 * sx, r.y + v0 * sy, iw * sx, ih * sy, iw, ih), iw, ih, spec);
  const planes = inner.length / (iw * ih);
  const res = out ?? new Float32Array(planes * n * n);
  const fill = (spec.border - (spec.mean[0] ?? 0)) / (spec.std[0] ?? 1);
  const cols = Int32Array.from({ length: n }, (_, u) => padIndex(u, u0, u1, pad) - u0);
  for (let p = 0; p < planes; p++) {
    for (let v = 0; v < n; v++) {
      const inside = v >= v0 && v < v1;
      const row = padIndex(v, v0, v1, pad) - v0;
      const o = p * n * n + v * n, i = p * iw * ih + row * iw;
      for (let u = 0; u < n; u++) {
        const inU = u >= u0 && u < u1;
        res[o + u] = pad === 'constant' && !(inside && inU) ? fill : inner[i + cols[u]];
      }
    }
  }
  return res;
}

/** Mirrors a planar n x n tensor left-right, in place. */
export function flipTensor(t: Float32Array, n: number): Float32Array {
  for (let o = 0; o < t.length; o += n) t.subarray(o, o + n).reverse();
  return t;
}

/** fr_liveness's 1x3x128x128 input for one box under a crop variant ({} = the shipped crop). */
export function variantLivenessInput(img: RgbaImage, box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>, crop: LivenessCropOptions = {}, spec: TensorSpec = LIVENESS_SPEC): Float32Array {
  const pad = crop.pad ?? 'shift';
  const r = livenessRect(box, img.width, img.height, crop.scale ?? LIVENESS_CROP_SCALE, pad);
  const t = warpPadded(img, r, LIVENESS_INPUT, spec, pad);
  return crop.flip ? flipTensor(t, LIVENESS_INPUT) : t;
}
