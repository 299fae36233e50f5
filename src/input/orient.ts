/**
 * The input policy's pixel fix-ups on RGBA buffers (docs/input-policy.md): turning a frame upright
 * and flattening transparency. Pure, so every engine and Node give the same pixels.
 */
import type { RgbaImage } from '../contract/types.js';

/** EXIF orientation as a clockwise rotation then a horizontal mirror (the WebCodecs order). */
export const EXIF_TURNS: Record<number, { rotation: number; flip: boolean }> = {
  1: { rotation: 0, flip: false }, 2: { rotation: 0, flip: true }, 3: { rotation: 180, flip: false }, 4: { rotation: 180, flip: true },
  5: { rotation: 90, flip: true }, 6: { rotation: 90, flip: false }, 7: { rotation: 270, flip: true }, 8: { rotation: 270, flip: false },
};

/**
 * The picture a camera VideoFrame shows: its stored pixels turned `rotation` degrees clockwise,
 * then mirrored horizontally when `flip` (the WebCodecs order).
 */
export function rotateFlipRgba(src: RgbaImage, rotation: number, flip: boolean): RgbaImage {
  const r = ((rotation % 360) + 360) % 360;
  if (!r && !flip) return src;
  const { width: w, height: h, data } = src;
  const swap = r === 90 || r === 270;
  const W = swap ? h : w, H = swap ? w : h;
  const out = new Uint8ClampedArray(W * H * 4);
  const s32 = new Uint32Array(data.buffer, data.byteOffset, w * h);
  const d32 = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Clockwise rotation of stored (x, y), then the horizontal mirror.
      let X: number, Y: number;
      if (r === 90) { X = h - 1 - y; Y = x; } else if (r === 180) { X = w - 1 - x; Y = h - 1 - y; } else if (r === 270) { X = y; Y = w - 1 - x; } else { X = x; Y = y; }
      if (flip) X = W - 1 - X;
      d32[Y * W + X] = s32[y * w + x];
    }
  }
  return { width: W, height: H, data: out };
}

/**
 * Composites a buffer's transparency over an opaque background, as sharp's `flatten` and the
 * browser's canvas readback do for files: c' = c·a + bg·(1 − a). Opaque buffers come back as they are.
 */
export function flattenRgba(src: RgbaImage, bg: { r: number; g: number; b: number }): RgbaImage {
  if (isOpaque(src.data)) return src;
  const d = src.data;
  const out = new Uint8ClampedArray(d.length);
  for (let p = 0; p < d.length; p += 4) {
    const a = d[p + 3] / 255;
    out[p] = d[p] * a + bg.r * (1 - a) + 0.5;
    out[p + 1] = d[p + 1] * a + bg.g * (1 - a) + 0.5;
    out[p + 2] = d[p + 2] * a + bg.b * (1 - a) + 0.5;
    out[p + 3] = 255;
  }
  return { width: src.width, height: src.height, data: out };
}

/** Every pixel's alpha is 255. */
export function isOpaque(rgba: RgbaImage['data']): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}
