/**
 * Worker side: turns a payload into an RGBA buffer at working resolution (DOM-free). Encoded files
 * go through the shared input policy first (input/input-policy.ts: header size limit, SVG,
 * truncation), then the browser's decoder, with EXIF orientation applied exactly once and alpha
 * flattened over ALPHA_BACKGROUND, as Node does (docs/input-policy.md).
 */
import { prepareImage, type PreparedImage } from '../pipeline/prepared.js';
import { detectContentSize } from '../pipeline/detect.js';
import { FaceError } from '../contract/errors.js';
import { WORKING_MAX_SIDE } from '../contract/limits.js';
import { assertPixelBudget, checkRgbaBuffer } from '../input/limits.js';
import { admitEncodedImage, ALPHA_BACKGROUND, undecodable } from '../input/input-policy.js';
import { withoutOrientation, type ImageHeader } from '../input/image-header.js';
import { EXIF_TURNS, flattenRgba, isOpaque, rotateFlipRgba } from '../input/orient.js';
import type { ImagePayload } from './inputs.js';

/**
 * A payload decoded in two steps: the returned promise settles once the file is checked and the
 * browser's decoder is working on it (off this thread); the function it gives reads the pixels.
 * A compare begins both images this way, so image 2 decodes while image 1 runs through the models.
 */
export async function beginDecode(p: ImagePayload): Promise<() => Promise<PreparedImage>> {
  if (p.kind === 'rgba') {
    const image = prepareImage(flattenRgba(checkRgbaBuffer({ width: p.width, height: p.height, data: p.data }), ALPHA_BACKGROUND));
    return async () => image;
  }
  if (p.kind === 'blob') {
    const bytes = new Uint8Array(await p.blob.arrayBuffer());
    const header = admitEncodedImage(bytes, p.blob.type);
    // A JPEG's EXIF orientation is applied by us, not the engine: the decoder gets a copy whose tag
    // says 1, and readPixels turns the stored pixels in JS: the same pixels in every engine.
    const turn = header?.orientationTag ? header.orientation : 1;
    const blob = turn !== 1 ? new Blob([withoutOrientation(bytes, header!) as Uint8Array<ArrayBuffer>], { type: p.blob.type }) : p.blob;
    // `plain` (VideoFrame read-back allowed): formats that cannot carry an orientation we did not
    // neutralise (PNG's eXIf, WebP's and HEIF's are left to the decoder, so they take the canvas).
    const plain = turn === 1 && !!header && ['jpeg', 'gif', 'bmp'].includes(header.format) && header.orientation === 1;
    const bitmap = decodeBlob(blob, header);
    bitmap.catch(() => undefined); // surfaced when the pixels are read
    // A JPEG has no alpha channel: its read-back needs no scan for transparent pixels.
    return async () => decodeBitmap(await bitmap, plain, turn, header?.format === 'jpeg');
  }
  const { bitmap, plain } = p;
  return () => decodeBitmap(bitmap, plain === true);
}

async function decodeBlob(blob: Blob, header: ImageHeader | undefined): Promise<ImageBitmap> {
  try {
    // 'from-image' explicitly: an orientation we did not neutralise (WebP, HEIF) is the decoder's to apply.
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    throw undecodable(header, blob.type, blob.size);
  }
}

/**
 * A decoded bitmap (closed here) as the working-resolution, upright, opaque image, plus, for an
 * image over twice the detector's input, its detector-sized copy from the browser's scaler.
 */
async function decodeBitmap(bitmap: ImageBitmap, plain: boolean, turn = 1, opaque = false): Promise<PreparedImage> {
  try {
    const { width, height } = bitmap;
    if (!width || !height) throw new FaceError('IMAGE_DECODE', 'the image has no pixels');
    assertPixelBudget(width, height);
    const W = turn >= 5 ? height : width, H = turn >= 5 ? width : height;
    const scale = Math.min(1, WORKING_MAX_SIDE / Math.max(W, H));
    const w = Math.max(1, Math.round(W * scale)), h = Math.max(1, Math.round(H * scale));
    // Big images: the browser's native high-quality scaler shrinks in one pass, and we never hold
    // the full-size pixels in JS.
    const sw = turn >= 5 ? h : w, sh = turn >= 5 ? w : h;
    const working = scale < 1 ? await createImageBitmap(bitmap, { resizeWidth: sw, resizeHeight: sh, resizeQuality: 'high' }) : bitmap;
    try {
      const detectImage = await detectCopy(working, w, h, turn, plain, opaque);
      return { image: { width: w, height: h, data: await readPixels(working, turn, plain, opaque) }, toSource: W / w, detectImage };
    } finally {
      if (working !== bitmap) working.close();
    }
  } finally {
    bitmap.close();
  }
}

/**
 * The detector's copy of a large image (pipeline/detect.ts detectContentSize), shrunk natively:
 * 2-3 ms in Chromium for a 1920x1080 photo where the JS warp of every pixel takes 6-8 ms. The
 * browser's mipmapped 'medium' scaler is the closest of its qualities to the JS area average
 * (mean 1.4 levels apart on a 1080p photo; 'high' gives the same pixels in Chromium). Used only
 * where that scaler averages (scalerAverages), else the JS warp reads the full image as before.
 */
async function detectCopy(working: ImageBitmap, w: number, h: number, turn: number, plain: boolean, opaque: boolean) {
  const size = detectContentSize(w, h);
  if (!size || !(await scalerAverages())) return undefined;
  const [rw, rh] = turn >= 5 ? [size.height, size.width] : [size.width, size.height];
  const small = await createImageBitmap(working, { resizeWidth: rw, resizeHeight: rh, resizeQuality: 'medium' });
  try {
    // An engine that ignored the resize options would hand back the full image: no gain, so none.
    if (small.width !== rw || small.height !== rh) return undefined;
    return { width: size.width, height: size.height, data: await readPixels(small, turn, plain, opaque) };
  } finally {
    small.close();
  }
}

/**
 * RGBA pixels of a bitmap, upright and opaque. VideoFrame.copyTo measured 2x faster than a canvas
 * readback (19 vs 34 ms for 640x480 in Chromium), but it is only used when it cannot be wrong: a
 * `plain` bitmap (no EXIF orientation: a file whose header says 1, a canvas or video frame), a
 * frame without rotation/flip, every pixel opaque. Chromium 156 copies an EXIF-oriented bitmap's
 * stored pixels: sideways for 5-8 (the frame says `rotation: 90`), and mirrored or upside down
 * for 2-4 with no hint at all. Everything else is drawn on a canvas filled with ALPHA_BACKGROUND,
 * which also composites transparency the way sharp's flatten does.
 */
async function readPixels(bitmap: ImageBitmap, orientation: number, plain: boolean, opaque = false): Promise<Uint8ClampedArray> {
  if (plain && orientation === 1 && typeof VideoFrame === 'function' && (await copyToIsExact())) {
    let frame: VideoFrame | undefined;
    try {
      frame = new VideoFrame(bitmap, { timestamp: 0 });
      const f = frame as VideoFrame & { rotation?: number; flip?: boolean };
      // An RGB(A) frame copies exactly; a YUV one (WebKitGTK) would round-trip through chroma subsampling.
      const rgb = /^(RGB|BGR)/.test(frame.format ?? '');
      if (rgb && !f.rotation && !f.flip && frame.codedWidth === bitmap.width && frame.codedHeight === bitmap.height) {
        const buf = new Uint8ClampedArray(frame.allocationSize({ format: 'RGBA' }));
        await frame.copyTo(buf, { format: 'RGBA' });
        if (buf.length === bitmap.width * bitmap.height * 4 && (opaque || isOpaque(buf))) return buf;
      }
    } catch {
      // Older WebCodecs without RGBA conversion: use the canvas.
    } finally {
      frame?.close();
    }
  }
  // Drawn as stored, turned in JS afterwards: the same pixels in every engine.
  const W = bitmap.width, H = bitmap.height;
  // Its pixels are freed as soon as they are read: WebKit caps the pixel memory of live canvases.
  const canvas = new OffscreenCanvas(W, H);
  try {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new FaceError('INTERNAL', 'no 2D context in this worker');
    const { r, g, b } = ALPHA_BACKGROUND;
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(0, 0, W, H);
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, W, H).data;
    // We painted an opaque background: anything else means the browser gave us no real canvas.
    if (!isOpaque(data)) throw new FaceError('INTERNAL', `the browser could not allocate a ${W}x${H} canvas to read the pixels (canvas memory exhausted?)`);
    if (orientation === 1) return data;
    const { rotation, flip } = EXIF_TURNS[orientation];
    return rotateFlipRgba({ width: W, height: H, data }, rotation, flip).data as Uint8ClampedArray;
  } finally {
    canvas.width = canvas.height = 0;
  }
}

let copyToProbe: Promise<boolean> | undefined;
/**
 * Does VideoFrame.copyTo give exactly the canvas's pixels here? Checked once per worker on a small
 * colour pattern; if not, the canvas is used. WebKitGTK 2.50's differ (a 16-bit PNG's face box
 * moved 3 px), and using its VideoFrames in the worker left later decodes stretched or empty.
 */
function copyToIsExact(): Promise<boolean> {
  copyToProbe ??= (async () => {
    const c = new OffscreenCanvas(4, 4);
    const g = c.getContext('2d', { willReadFrequently: true })!;
    const colours = ['#ff0000', '#00ff00', '#0000ff', '#c86432', '#ffffff', '#000000', '#7f7f7f', '#1e90ff'];
    colours.forEach((col, i) => { g.fillStyle = col; g.fillRect(i % 4, Math.floor(i / 4) * 2, 1, 2); });
    const want = g.getImageData(0, 0, 4, 4).data;
    const bitmap = await createImageBitmap(c);
    const frame = new VideoFrame(bitmap, { timestamp: 0 });
    try {
      if (!/^(RGB|BGR)/.test(frame.format ?? '')) return false;
      const got = new Uint8ClampedArray(frame.allocationSize({ format: 'RGBA' } as VideoFrameCopyToOptions));
      await frame.copyTo(got, { format: 'RGBA' } as VideoFrameCopyToOptions);
      return got.length === want.length && got.every((v, i) => v === want[i]);
    } finally {
      frame.close();
      bitmap.close();
    }
  })().catch(() => false);
  return copyToProbe;
}

let scalerProbe: Promise<boolean> | undefined;
/**
 * Does this engine's createImageBitmap resize average the pixels it drops? Checked once per worker:
 * stripes 3 px white, 1 px black shrunk 8x must come out at their mean (191), not at whichever
 * columns a plain bilinear or nearest sampler hits (127 or 0/255). Chromium's and Firefox's pass;
 * WebKitGTK 2.50's moved the parity corpus's face boxes 3 px, so it keeps the JS warp.
 */
function scalerAverages(): Promise<boolean> {
  scalerProbe ??= (async () => {
    const c = new OffscreenCanvas(64, 8);
    const g = c.getContext('2d', { willReadFrequently: true })!;
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 64, 8);
    g.fillStyle = '#000000';
    for (let x = 3; x < 64; x += 4) g.fillRect(x, 0, 1, 8);
    const small = await createImageBitmap(c, { resizeWidth: 8, resizeHeight: 1, resizeQuality: 'medium' });
    try {
      if (small.width !== 8 || small.height !== 1) return false;
      const o = new OffscreenCanvas(8, 1).getContext('2d', { willReadFrequently: true })!;
      o.drawImage(small, 0, 0);
      const px = o.getImageData(0, 0, 8, 1).data;
      for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - 191) > 16) return false;
      return true;
    } finally {
      small.close();
    }
  })().catch(() => false);
  return scalerProbe;
}
