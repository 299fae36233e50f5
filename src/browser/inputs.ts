/**
 * Main-thread side of image inputs: everything a caller may pass becomes a payload the worker can
 * decode, moved by transfer where we own the data. Files and elements are never read as pixels
 * here; two inputs are: an RGBA buffer (copied once, so the caller keeps theirs) and a camera
 * VideoFrame (its pixels copied out to turn them upright).
 */
import { FaceError } from '../contract/errors.js';
import { checkRgbaBuffer } from '../input/limits.js';
import type { RgbaImage } from '../pipeline/image.js';
import { rotateFlipRgba } from '../input/orient.js';

/** Every image input the browser API accepts. */
export type ImageInput =
  | Blob
  | ImageBitmap
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | HTMLVideoElement
  | VideoFrame
  | RgbaImage;

/** What crosses to the worker. */
export type ImagePayload =
  | { kind: 'blob'; blob: Blob }
  /** `plain`: made from pixels that carry no orientation (canvas, video), so any pixel read-back is upright. */
  | { kind: 'bitmap'; bitmap: ImageBitmap; plain?: boolean }
  | { kind: 'rgba'; width: number; height: number; data: Uint8ClampedArray };

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

/** A payload plus the objects to transfer with it. */
export interface PayloadWithTransfer {
  payload: ImagePayload;
  transfer: Transferable[];
}

/** Converts an input to a payload plus the objects to transfer with it. */
export async function toPayload(input: ImageInput): Promise<PayloadWithTransfer> {
  if (input == null || typeof input !== 'object') throw new FaceError('IMAGE_DECODE', `unsupported image input: ${String(input)}`);
  if (has('Blob') && input instanceof Blob) {
    if (input.size === 0) throw new FaceError('IMAGE_DECODE', 'the image is empty (0 bytes)');
    return { payload: { kind: 'blob', blob: input }, transfer: [] };
  }
  if (has('ImageBitmap') && input instanceof ImageBitmap) {
    // The caller keeps their bitmap: it is cloned, not transferred.
    return { payload: { kind: 'bitmap', bitmap: input }, transfer: [] };
  }
  if (has('VideoFrame') && input instanceof VideoFrame) {
    return uprightFrame(input);
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
      // An <img> of an EXIF-rotated photo: upright, as the page shows it.
      bitmap = await createImageBitmap(input, { imageOrientation: 'from-image' });
    } catch (e) {
      throw new FaceError('IMAGE_DECODE', `cannot read pixels from the element: ${(e as Error).message}`);
    }
    return { payload: { kind: 'bitmap', bitmap, plain: !(has('HTMLImageElement') && input instanceof HTMLImageElement) }, transfer: [bitmap] };
  }
  if ('width' in input && 'height' in input && 'data' in input) {
    const { width, height, data } = checkRgbaBuffer(input as RgbaImage);
    // Copy once so the caller's buffer stays usable, then transfer the copy.
    const copy = new Uint8ClampedArray(data);
    return { payload: { kind: 'rgba', width, height, data: copy }, transfer: [copy.buffer] };
  }
  throw new FaceError('IMAGE_DECODE', 'unsupported image input: pass a Blob/File, ImageBitmap, ImageData, image/canvas/video element, OffscreenCanvas, VideoFrame or {width, height, data}');
}

type OrientedFrame = VideoFrame & { rotation?: number; flip?: boolean };

/**
 * A camera VideoFrame as the upright picture, as RGBA: its visible pixels copied out (copyTo, no
 * canvas), then its `rotation` (clockwise) and `flip` (horizontal) applied once, in JS, so every
 * engine gives the same pixels whatever it does with a frame's orientation when drawing it.
 * (In WebKitGTK 2.50, transferring a bitmap made from a VideoFrame also broke the page's later
 * canvas reads.) Engines without RGBA copyTo fall back to a bitmap of the frame.
 */
async function uprightFrame(frame: OrientedFrame): Promise<PayloadWithTransfer> {
  const rotation = frame.rotation ?? 0, flip = frame.flip === true;
  const rect = frame.visibleRect;
  try {
    if (!rect) throw new Error('no visibleRect');
    const data = new Uint8ClampedArray(rect.width * rect.height * 4);
    await frame.copyTo(data, { format: 'RGBA', rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } } as VideoFrameCopyToOptions);
    const img = rotateFlipRgba(checkRgbaBuffer({ width: rect.width, height: rect.height, data }), rotation, flip);
    const out = img.data as Uint8ClampedArray;
    return { payload: { kind: 'rgba', width: img.width, height: img.height, data: out }, transfer: [out.buffer] };
  } catch (e) {
    if (e instanceof FaceError) throw e;
  }
  if (rotation || flip) throw new FaceError('IMAGE_DECODE', 'this browser cannot copy a rotated VideoFrame\'s pixels (VideoFrame.copyTo RGBA)');
  try {
    const bitmap = await createImageBitmap(frame);
    return { payload: { kind: 'bitmap', bitmap, plain: true }, transfer: [bitmap] };
  } catch (e) {
    throw new FaceError('IMAGE_DECODE', `cannot read pixels from the VideoFrame: ${(e as Error).message}`);
  }
}
