/** What inputs the SDK accepts, checked the same way in the browser and in Node. */
import { FaceError } from './errors.js';

/**
 * Largest image accepted, in pixels. 120 MP covers every phone and DSLR photo (a 12000x9000 photo is
 * 108 MP) while refusing decompression bombs; larger inputs get IMAGE_TOO_LARGE. Accepted images
 * are downscaled to WORKING_MAX_SIDE before analysis, and results are mapped back to source pixels.
 */
export const MAX_INPUT_PIXELS = 120_000_000;

/** Largest side the pipeline works at; bigger decoded images are downscaled first. */
export const WORKING_MAX_SIDE = 2048;

/** IMAGE_TOO_LARGE when width x height exceeds MAX_INPUT_PIXELS. */
export function assertPixelBudget(width: number, height: number): void {
  if (width * height <= MAX_INPUT_PIXELS) return;
  throw new FaceError('IMAGE_TOO_LARGE', `image is ${width}x${height} (${((width * height) / 1e6).toFixed(0)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP`, {
    width, height, limit: MAX_INPUT_PIXELS,
  });
}

/** A caller's `{ width, height, data }` RGBA buffer, checked: IMAGE_DECODE if malformed, IMAGE_TOO_LARGE if over budget. */
export function checkRgbaBuffer<T extends { width: number; height: number; data: ArrayLike<number> }>(img: T): T {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || !data || data.length !== width * height * 4) {
    throw new FaceError('IMAGE_DECODE', `an RGBA buffer needs width*height*4 bytes (got ${width}x${height}, ${data?.length} bytes)`);
  }
  assertPixelBudget(width, height);
  return img;
}
