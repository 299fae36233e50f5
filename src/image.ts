/**
 * Pixel operations over plain RGBA buffers. No DOM, no Node: the same code runs in a worker,
 * on the main thread and in Node.
 */

/** An RGBA image, 8 bits per channel, rows top to bottom (the layout of ImageData). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** 2x3 affine matrix [a, b, c, d, e, f] mapping (x, y) to (a x + b y + c, d x + e y + f). */
export type Affine = [number, number, number, number, number, number];

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new RangeError('affine matrix is singular');
  const ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** How warped pixels become tensor values. */
export interface TensorSpec {
  /**
   * Source channel (0 = R, 1 = G, 2 = B) for each output plane, e.g. [0, 1, 2] for RGB and
   * [2, 1, 0] for BGR; 'gray' makes a single BT.601 luma plane.
   */
  channels: readonly number[] | 'gray';
  /** value = (pixel - mean[c]) / std[c], per output plane (one value broadcasts). */
  mean: readonly number[];
  std: readonly number[];
  /** Value (0–255, before normalisation) of samples that fall outside the source image. */
  border: number;
}

const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Warps `src` by the affine map `dstToSrc` (output pixel coords → source pixel coords) into a planar
 * float tensor (CHW) of size outW x outH, normalising as it goes: one pass, no intermediate image.
 *
 * Anti-aliasing: when one output pixel covers several source pixels, it averages an s x s grid of
 * bilinear samples (s = ceil of the scale, at most 4), which approximates an area filter and stops
 * large faces from aliasing when shrunk to 112 px.
 */
export function warpToTensor(
  src: RgbaImage,
  dstToSrc: Affine,
  outW: number,
  outH: number,
  spec: TensorSpec,
  out: Float32Array = new Float32Array(outW * outH * (spec.channels === 'gray' ? 1 : spec.channels.length)),
): Float32Array {
  const [a, b, c, d, e, f] = dstToSrc;
  const scale = Math.sqrt(Math.abs(a * e - b * d));
  const ss = Math.min(4, Math.max(1, Math.ceil(scale - 1e-6)));
  const inv = 1 / (ss * ss);
  const gray = spec.channels === 'gray';
  const planes = gray ? 1 : (spec.channels as readonly number[]).length;
  const plane = outW * outH;
  const { width: W, height: H, data } = src;
  const acc = [0, 0, 0];
  const px = [0, 0, 0];

  // Bilinear sample at continuous source coords (pixel centres at integer + 0.5) into px.
  const sample = (sx: number, sy: number): void => {
    const fx = sx - 0.5, fy = sy - 0.5;
    const x0 = Math.floor(fx), y0 = Math.floor(fy);
    const tx = fx - x0, ty = fy - y0;
    for (let ch = 0; ch < 3; ch++) px[ch] = 0;
    for (let k = 0; k < 4; k++) {
      const xx = x0 + (k & 1), yy = y0 + (k >> 1);
      const w = ((k & 1) ? tx : 1 - tx) * ((k >> 1) ? ty : 1 - ty);
      if (w === 0) continue;
      if (xx < 0 || yy < 0 || xx >= W || yy >= H) {
        px[0] += w * spec.border; px[1] += w * spec.border; px[2] += w * spec.border;
      } else {
        const i = (yy * W + xx) * 4;
        px[0] += w * data[i]; px[1] += w * data[i + 1]; px[2] += w * data[i + 2];
      }
    }
  };

  for (let v = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let j = 0; j < ss; j++) {
        const dy = v + (j + 0.5) / ss;
        for (let i = 0; i < ss; i++) {
          const dx = u + (i + 0.5) / ss;
          sample(a * dx + b * dy + c, d * dx + e * dy + f);
          acc[0] += px[0]; acc[1] += px[1]; acc[2] += px[2];
        }
      }
      const o = v * outW + u;
      if (gray) {
        const y = (LUMA[0] * acc[0] + LUMA[1] * acc[1] + LUMA[2] * acc[2]) * inv;
        out[o] = (y - spec.mean[0]) / spec.std[0];
      } else {
        const chans = spec.channels as readonly number[];
        for (let p = 0; p < planes; p++) {
          const m = spec.mean[p] ?? spec.mean[0], s = spec.std[p] ?? spec.std[0];
          out[p * plane + o] = (acc[chans[p]] * inv - m) / s;
        }
      }
    }
  }
  return out;
}

/** Affine map (output → source) that fits the source rectangle [x, y, w, h] onto an outW x outH grid. */
export function rectToGrid(x: number, y: number, w: number, h: number, outW: number, outH: number): Affine {
  return [w / outW, 0, x, 0, h / outH, y];
}

/**
 * Letterbox: the largest uniform scale that fits the whole image into outW x outH, centred.
 * Returns the output → source map and the scale (output px per source px).
 */
export function letterbox(srcW: number, srcH: number, outW: number, outH: number): { map: Affine; scale: number } {
  const scale = Math.min(outW / srcW, outH / srcH);
  const padX = (outW - srcW * scale) / 2;
  const padY = (outH - srcH * scale) / 2;
  return { map: [1 / scale, 0, -padX / scale, 0, 1 / scale, -padY / scale], scale };
}

/** Resizes an RGBA image to fit within maxSide (area-averaged), keeping the aspect ratio. */
export function downscaleToFit(src: RgbaImage, maxSide: number): { image: RgbaImage; scale: number } {
  const long = Math.max(src.width, src.height);
  if (long <= maxSide) return { image: src, scale: 1 };
  const scale = maxSide / long;
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const planes = warpToTensor(src, rectToGrid(0, 0, src.width, src.height, w, h), w, h, {
    channels: [0, 1, 2], mean: [0], std: [1], border: 0,
  });
  const data = new Uint8ClampedArray(w * h * 4);
  const n = w * h;
  for (let i = 0; i < n; i++) {
    data[i * 4] = planes[i]; data[i * 4 + 1] = planes[n + i]; data[i * 4 + 2] = planes[2 * n + i]; data[i * 4 + 3] = 255;
  }
  return { image: { width: w, height: h, data }, scale: w / src.width };
}

/** Mean BT.601 luma (0–255) over the pixels inside an axis-aligned rectangle, clipped to the image. */
export function meanLuma(src: RgbaImage, x1: number, y1: number, x2: number, y2: number): number {
  const xa = Math.max(0, Math.floor(x1)), ya = Math.max(0, Math.floor(y1));
  const xb = Math.min(src.width, Math.ceil(x2)), yb = Math.min(src.height, Math.ceil(y2));
  let sum = 0, n = 0;
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = (y * src.width + x) * 4;
      sum += LUMA[0] * src.data[i] + LUMA[1] * src.data[i + 1] + LUMA[2] * src.data[i + 2];
      n++;
    }
  }
  return n ? sum / n : 0;
}
