/**
 * Main-thread side of image inputs: everything a caller may pass becomes a payload the worker can
 * decode, moved by transfer where we own the data and never by a pixel copy on the UI thread.
 */
import { FaceError } from '../errors.js';
import type { RgbaImage } from '../image.js';

/** Every image input the browser API accepts. */
export type ImageInput =
  | Blob
  | ImageBitmap
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | HTMLVideoElement
  | RgbaImage;

/** What crosses to the worker. */
export type ImagePayload =
  | { kind: 'blob'; blob: Blob }
  | { kind: 'bitmap'; bitmap: ImageBitmap }
  | { kind: 'rgba'; width: number; height: number; data: Uint8ClampedArray };

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

/** Converts an input to a payload plus the objects to transfer with it. */
export async function toPayload(input: ImageInput): Promise<{ payload: ImagePayload; transfer: Transferable[] }> {
  if (input == null || typeof input !== 'object') throw new FaceError('IMAGE_DECODE', `unsupported image input: ${String(input)}`);
  if (has('Blob') && input instanceof Blob) {
    if (input.size === 0) throw new FaceError('IMAGE_DECODE', 'the image is empty (0 bytes)');
    return { payload: { kind: 'blob', blob: input }, transfer: [] };
  }
  if (has('ImageBitmap') && input instanceof ImageBitmap) {
    // The caller keeps their bitmap: it is cloned, not transferred.
    return { payload: { kind: 'bitmap', bitmap: input }, transfer: [] };
  }
  if (has('HTMLVideoElement') && input instanceof HTMLVideoElement) {
    if (input.readyState < 2 || !input.videoWidth) throw new FaceError('IMAGE_DECODE', 'the video has no current frame yet');
  }
  if (has('HTMLImageElement') && input instanceof HTMLImageElement) {
    try {
      await input.decode();
    } catch {
      throw new FaceError('IMAGE_DECODE', `the <img> could not be decoded (${input.currentSrc || input.src || 'no src'})`);
    }
  }
  if (
    (has('HTMLImageElement') && input instanceof HTMLImageElement) ||
    (has('HTMLCanvasElement') && input instanceof HTMLCanvasElement) ||
    (has('HTMLVideoElement') && input instanceof HTMLVideoElement) ||
    (has('OffscreenCanvas') && input instanceof OffscreenCanvas)
  ) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(input);
    } catch (e) {
      throw new FaceError('IMAGE_DECODE', `cannot read pixels from the element: ${(e as Error).message}`);
    }
    return { payload: { kind: 'bitmap', bitmap }, transfer: [bitmap] };
  }
  if ('width' in input && 'height' in input && 'data' in input) {
    const { width, height, data } = input as RgbaImage;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || !data || data.length !== width * height * 4) {
      throw new FaceError('IMAGE_DECODE', `an RGBA buffer needs width*height*4 bytes (got ${width}x${height}, ${data?.length} bytes)`);
    }
    // Copy once so the caller's buffer stays usable, then transfer the copy.
    const copy = new Uint8ClampedArray(data);
    return { payload: { kind: 'rgba', width, height, data: copy }, transfer: [copy.buffer] };
  }
  throw new FaceError('IMAGE_DECODE', 'unsupported image input: pass a Blob/File, ImageBitmap, ImageData, image/canvas/video element, OffscreenCanvas or {width, height, data}');
}
