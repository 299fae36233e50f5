/** The size checks every input goes through, the same in the browser and in Node. */
import { FaceError } from '../contract/errors.js';
import { MAX_INPUT_PIXELS } from '../contract/limits.js';

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
