/**
 * The input policy shared by the browser worker and Node (docs/input-policy.md): what is refused
 * from the file header before any decoder sees the bytes, and how transparency is flattened. Both
 * sides call these, so a file gets the same answer whatever decodes it.
 */
import { FaceError } from '../contract/errors.js';
import { assertPixelBudget } from './limits.js';
import { FORMAT_NAMES, orientedSize, sniffImage, VECTOR_FORMATS, type ImageHeader } from './image-header.js';

/** Transparent pixels are composited over this opaque colour (sRGB) before analysis. */
export const ALPHA_BACKGROUND = { r: 255, g: 255, b: 255 } as const;

/**
 * Checks encoded bytes against the policy: IMAGE_DECODE for empty, vector (SVG), truncated or
 * structurally corrupt files; IMAGE_TOO_LARGE when the header's size is over the pixel budget (a
 * decompression bomb never reaches a decoder). Returns the header, or undefined for formats the
 * sniffer does not know (the decoder then has the last word).
 */
export function admitEncodedImage(bytes: Uint8Array, mime = ''): ImageHeader | undefined {
  if (bytes.length === 0) throw new FaceError('IMAGE_DECODE', 'the image is empty (0 bytes)');
  const header = sniffImage(bytes);
  if (!header) return undefined;
  const name = FORMAT_NAMES[header.format];
  if (VECTOR_FORMATS.includes(header.format)) {
    throw new FaceError('IMAGE_DECODE', `${name} (vector) images are not supported: rasterise it to PNG or JPEG first`, { format: header.format });
  }
  const size = orientedSize(header);
  if (size) assertPixelBudget(size.width, size.height);
  if (header.defect) throw new FaceError('IMAGE_DECODE', `not a decodable image: ${header.defect} (${bytes.length} bytes${mime ? `, ${mime}` : ''})`, { format: header.format });
  if (size && (!size.width || !size.height)) throw new FaceError('IMAGE_DECODE', `the ${name} header says ${size.width}x${size.height}: no pixels`, { format: header.format });
  return header;
}

/** The IMAGE_DECODE a decoder failure becomes, naming the format when known (e.g. HEIC in a browser without it). */
export function undecodable(header: ImageHeader | undefined, mime: string, bytes: number, reason?: string): FaceError {
  const what = header ? `${FORMAT_NAMES[header.format]} image` : `image (${mime || 'unknown type'})`;
  if (header?.format === 'heic') {
    return new FaceError('IMAGE_DECODE', `HEIC/HEIF image: cannot be decoded here (${reason ?? 'this browser has no HEIC decoder'}); convert it to JPEG`, { format: 'heic' });
  }
  const msg = `not a decodable ${what}, ${bytes} bytes`;
  return new FaceError('IMAGE_DECODE', reason ? `${msg}: ${reason}` : msg, header ? { format: header.format } : {});
}
