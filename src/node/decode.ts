/** Node side of image inputs: file paths and encoded bytes decoded by sharp, RGBA buffers checked. */
import { readFile } from 'node:fs/promises';
import { FaceError } from '../contract/errors.js';
import { WORKING_MAX_SIDE } from '../contract/limits.js';
import { assertPixelBudget, checkRgbaBuffer } from '../input/limits.js';
import { ALPHA_BACKGROUND, admitEncodedImage, undecodable } from '../input/input-policy.js';
import { flattenRgba } from '../input/orient.js';
import { prepareImage, type PreparedImage } from '../pipeline/prepared.js';
import type { RgbaImage } from '../pipeline/image.js';

/** What Node accepts: a file path, encoded bytes (JPEG/PNG/WebP/GIF/…), or raw RGBA. */
export type NodeImageInput = string | Buffer | Uint8Array | RgbaImage;

/** Decodes any input to an RGBA buffer ready for the pipeline. */
export async function decodeNodeImage(input: NodeImageInput): Promise<PreparedImage> {
  if (isRgba(input)) return prepareImage(flattenRgba(checkRgbaBuffer(input), ALPHA_BACKGROUND));
  let bytes: Buffer;
  if (typeof input === 'string') {
    try {
      bytes = await readFile(input);
    } catch (e) {
      throw new FaceError('IMAGE_DECODE', `cannot read ${input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  // The same header policy as the browser (docs/input-policy.md): size, SVG, truncation.
  const header = admitEncodedImage(bytes);
  // sharp's prebuilt libvips reads AVIF but has no HEVC decoder, and on some HEIC bytes its promise
  // never settles: refuse HEIC by name before it gets there, like a browser without HEIC support.
  if (header?.format === 'heic') throw undecodable(header, '', bytes.length, 'no HEVC decoder in sharp');
  const { default: sharp } = await import('sharp');
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw undecodable(header, '', bytes.length, (e as Error).message);
  }
  const w = meta.autoOrient?.width ?? meta.width ?? 0, h = meta.autoOrient?.height ?? meta.height ?? 0;
  assertPixelBudget(w, h);
  const { r, g, b } = ALPHA_BACKGROUND;
  try {
    // sharp shrinks large images while decoding (JPEG DCT scaling), far cheaper than a full decode.
    // Colour: embedded ICC / CMYK / 16-bit all become 8-bit sRGB; alpha is flattened like the browser does.
    const { data, info } = await sharp(bytes, { limitInputPixels: false, animated: false })
      .autoOrient()
      .resize({ width: WORKING_MAX_SIDE, height: WORKING_MAX_SIDE, fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
      .flatten({ background: { r, g, b } })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoded to ${info.channels} channels`);
    return prepareImage({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, w / info.width);
  } catch (e) {
    throw undecodable(header, '', bytes.length, (e as Error).message);
  }
}

function isRgba(v: NodeImageInput): v is RgbaImage {
  return typeof v === 'object' && !(v instanceof Uint8Array) && 'width' in v && 'data' in v;
}
