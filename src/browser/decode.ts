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
    const scale = Math.min(1, WORKING_MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale)), h = Math.max(1, Math.round(height * scale));
    // Big images: the browser's native high-quality scaler shrinks in one pass, and we never hold
    // the full-size pixels in JS.
    const working = scale < 1 ? await createImageBitmap(bitmap, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' }) : bitmap;
    try {
      return { image: { width: w, height: h, data: await readPixels(working) }, toSource: width / w };
    } finally {
      if (working !== bitmap) working.close();
    }
  } finally {
    bitmap.close();
  }
}

/**
 * RGBA pixels of a bitmap. VideoFrame.copyTo measured 2x faster than a canvas readback (19 vs 34 ms
 * for 640x480 in Chromium); the canvas path stays for browsers without WebCodecs.
 */
async function readPixels(bitmap: ImageBitmap): Promise<Uint8ClampedArray> {
  if (typeof VideoFrame === 'function') {
    let frame: VideoFrame | undefined;
    try {
      frame = new VideoFrame(bitmap, { timestamp: 0 });
      const buf = new Uint8ClampedArray(frame.allocationSize({ format: 'RGBA' }));
      await frame.copyTo(buf, { format: 'RGBA' });
      if (buf.length === bitmap.width * bitmap.height * 4) return buf;
    } catch {
      // Older WebCodecs without RGBA conversion: use the canvas.
    } finally {
      frame?.close();
    }
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new FaceError('INTERNAL', 'no 2D context in this worker');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
}

function tooLarge(w: number, h: number): FaceError {
  return new FaceError('IMAGE_TOO_LARGE', `image is ${w}x${h} (${((w * h) / 1e6).toFixed(0)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP`);
}
