/** Worker side: turns a payload into an RGBA buffer at working resolution (DOM-free). */
import { prepareImage, WORKING_MAX_SIDE, type PreparedImage } from '../engine.js';
import { FaceError } from '../errors.js';
import { MAX_INPUT_PIXELS } from '../limits.js';
import type { ImagePayload } from './inputs.js';

export async function decodePayload(p: ImagePayload): Promise<PreparedImage> {
  if (p.kind === 'rgba') {
    if (p.width * p.height > MAX_INPUT_PIXELS) throw tooLarge(p.width, p.height);
    return prepareImage({ width: p.width, height: p.height, data: p.data });
  }
  let bitmap: ImageBitmap;
  if (p.kind === 'blob') {
    try {
      bitmap = await createImageBitmap(p.blob);
    } catch {
      throw new FaceError('IMAGE_DECODE', `not a decodable image (${p.blob.type || 'unknown type'}, ${p.blob.size} bytes)`);
    }
  } else {
    bitmap = p.bitmap;
  }
  try {
    const { width, height } = bitmap;
    if (!width || !height) throw new FaceError('IMAGE_DECODE', 'the image has no pixels');
    if (width * height > MAX_INPUT_PIXELS) throw tooLarge(width, height);
    // Draw big images straight at working size: the browser's high-quality scaler does the
    // downscale in one pass and we never hold the full-size pixels.
    const scale = Math.min(1, WORKING_MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale)), h = Math.max(1, Math.round(height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new FaceError('INTERNAL', 'no 2D context in this worker');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    const { data } = ctx.getImageData(0, 0, w, h);
    return { image: { width: w, height: h, data }, toSource: width / w };
  } finally {
    bitmap.close();
  }
}

function tooLarge(w: number, h: number): FaceError {
  return new FaceError('IMAGE_TOO_LARGE', `image is ${w}x${h} (${((w * h) / 1e6).toFixed(0)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP`);
}
