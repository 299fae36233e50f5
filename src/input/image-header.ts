/**
 * What an encoded image says about itself, read from its bytes without decoding: format, stored
 * size, EXIF orientation, animation, and whether the file is complete. Pure (no DOM, no Node), so
 * the browser worker and Node apply the same input policy (docs/input-policy.md) before handing the
 * bytes to their very different decoders.
 */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'heic' | 'bmp' | 'tiff' | 'ico' | 'jxl' | 'svg';

export interface ImageHeader {
  format: ImageFormat;
  /** Stored size (before orientation), when the header gives it. */
  width?: number;
  height?: number;
  /** EXIF / HEIF orientation 1–8 (1 = as stored). */
  orientation: number;
  /** JPEG: where the EXIF orientation value is stored (a 16-bit integer), to neutralise it. */
  orientationTag?: { offset: number; littleEndian: boolean };
  /** More than one frame (animated GIF/PNG/WebP, AVIF sequence). */
  animated: boolean;
  /** Why the file is not a whole, well-formed image (truncated, missing end marker…), else undefined. */
  defect?: string;
}

/** Human name of a format, for error messages. */
export const FORMAT_NAMES: Record<ImageFormat, string> = {
  jpeg: 'JPEG', png: 'PNG', gif: 'GIF', webp: 'WebP', avif: 'AVIF', heic: 'HEIC/HEIF', bmp: 'BMP', tiff: 'TIFF', ico: 'ICO', jxl: 'JPEG XL', svg: 'SVG',
};

/** Vector formats: refused on both sides (docs/input-policy.md), their pixel size is the renderer's choice. */
export const VECTOR_FORMATS: readonly ImageFormat[] = ['svg'];

/** Orientations 5–8 swap width and height. */
export function orientedSize(h: ImageHeader): { width: number; height: number } | undefined {
  if (h.width === undefined || h.height === undefined) return undefined;
  return h.orientation >= 5 ? { width: h.height, height: h.width } : { width: h.width, height: h.height };
}

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** The header of an encoded image, or undefined when the bytes are no image format we know. */
export function sniffImage(b: Uint8Array): ImageHeader | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 8 && u32be(b, 0) === 0x89504e47 && u32be(b, 4) === 0x0d0a1a0a) return png(b);
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return gif(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return isobmff(b);
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) {
    return { format: 'bmp', width: Math.abs(u32le(b, 18) | 0), height: Math.abs(u32le(b, 22) | 0), orientation: 1, animated: false };
  }
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return { format: 'tiff', orientation: 1, animated: false };
  if (b.length >= 4 && u32be(b, 0) === 0x00000100) return { format: 'ico', orientation: 1, animated: false };
  if ((b.length >= 2 && b[0] === 0xff && b[1] === 0x0a) || (b.length >= 12 && u32be(b, 4) === 0x4a584c20)) return { format: 'jxl', orientation: 1, animated: false };
  if (looksLikeSvg(b)) return { format: 'svg', orientation: 1, animated: false };
  return undefined;
}

function looksLikeSvg(b: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 4096)).replace(/^\uFEFF/, '').trimStart();
  if (!head.startsWith('<')) return false;
  return /<svg[\s>]/i.test(head);
}

/**
 * JPEG: walks the marker segments to the frame header (size) and the EXIF orientation, then the
 * entropy-coded scans, where only stuffed bytes, restart markers (in order) and the segments
 * allowed between scans may appear, up to the end marker (EOI). A missing EOI is a truncated file:
 * libjpeg (sharp, Chromium) refuses it while Firefox and WebKit paint the part they got.
 */
function jpeg(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'jpeg', orientation: 1, animated: false };
  let i = 2;
  let scanning = false;
  let nextRst = 0;
  while (i < b.length) {
    if (scanning) {
      // Entropy-coded data: find the next marker.
      while (i < b.length && b[i] !== 0xff) i++;
      if (i + 1 >= b.length) break;
      const m = b[i + 1];
      if (m === 0x00 || m === 0xff) { i += m === 0x00 ? 2 : 1; continue; }
      if (m >= 0xd0 && m <= 0xd7) {
        if (m - 0xd0 !== nextRst) return { ...h, defect: 'corrupt JPEG data (restart markers out of order)' };
        nextRst = (nextRst + 1) & 7;
        i += 2;
        continue;
      }
      if (m === 0xd9) return h;
      // Between scans of a progressive / multi-scan image only tables, SOS and comments may appear.
      if (!(m === 0xc4 || m === 0xda || m === 0xdb || m === 0xdd || m === 0xfe || (m >= 0xe0 && m <= 0xef) || m === 0xcc)) {
        return { ...h, defect: `corrupt JPEG data (marker 0x${m.toString(16)} inside the image data)` };
      }
      scanning = false;
      nextRst = 0;
    }
    if (b[i] !== 0xff) return { ...h, defect: 'corrupt JPEG header' };
    while (b[i] === 0xff && i < b.length) i++; // fill bytes
    const m = b[i++];
    if (m === 0xd9) return h;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // no length
    if (i + 2 > b.length) break;
    const len = u16be(b, i);
    if (len < 2) return { ...h, defect: 'corrupt JPEG header' };
    const seg = i + 2, end = i + len;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc && seg + 5 <= b.length) {
      h.height = u16be(b, seg + 1);
      h.width = u16be(b, seg + 3);
    } else if (m === 0xe1 && seg + 6 <= b.length && ascii(b, seg, 6) === 'Exif\0\0') {
      const tag = exifOrientation(b.subarray(seg + 6, Math.min(end, b.length)));
      if (tag) {
        h.orientation = tag.value;
        h.orientationTag = { offset: seg + 6 + tag.offset, littleEndian: tag.littleEndian };
      }
    } else if (m === 0xda) {
      scanning = true;
    }
    i = end;
  }
  return { ...h, defect: 'truncated JPEG (no end-of-image marker)' };
}

/** Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block: its value and where it is. */
function exifOrientation(t: Uint8Array): { value: number; offset: number; littleEndian: boolean } | undefined {
  if (t.length < 8) return undefined;
  const le = t[0] === 0x49;
  const r16 = (at: number) => (le ? u16le(t, at) : u16be(t, at));
  const r32 = (at: number) => (le ? u32le(t, at) : u32be(t, at));
  const ifd = r32(4);
  if (ifd + 2 > t.length) return undefined;
  const n = r16(ifd);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > t.length) return undefined;
    if (r16(e) === 0x0112) {
      const v = r16(e + 8);
      return v >= 1 && v <= 8 ? { value: v, offset: e + 8, littleEndian: le } : undefined;
    }
  }
  return undefined;
}

/** PNG: IHDR size, acTL = animated, and the chunk chain must reach IEND. */
function png(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'png', orientation: 1, animated: false };
  if (b.length >= 24 && ascii(b, 12, 4) === 'IHDR') {
    h.width = u32be(b, 16);
    h.height = u32be(b, 20);
  }
  let i = 8;
  while (i + 8 <= b.length) {
    const len = u32be(b, i), type = ascii(b, i + 4, 4);
    if (type === 'acTL') h.animated = true;
    if (type === 'IEND') return h;
    i += 12 + len;
  }
  return { ...h, defect: 'truncated PNG (no IEND chunk)' };
}

/** GIF: logical screen size; two image descriptors or more = animated. */
function gif(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'gif', orientation: 1, animated: false };
  if (b.length < 13) return { ...h, defect: 'truncated GIF' };
  h.width = u16le(b, 6);
  h.height = u16le(b, 8);
  let i = 13;
  if (b[10] & 0x80) i += 3 << ((b[10] & 7) + 1);
  const skipSubBlocks = () => {
    while (i < b.length && b[i] !== 0) i += b[i] + 1;
    i++;
  };
  let frames = 0;
  while (i < b.length) {
    const t = b[i];
    if (t === 0x3b) return h;
    if (t === 0x21) {
      i += 2;
      skipSubBlocks();
    } else if (t === 0x2c) {
      if (++frames > 1) { h.animated = true; return h; }
      const flags = b[i + 9];
      i += 10;
      if (flags & 0x80) i += 3 << ((flags & 7) + 1);
      i++; // LZW minimum code size
      skipSubBlocks();
    } else {
      return { ...h, defect: 'corrupt GIF' };
    }
  }
  return frames ? h : { ...h, defect: 'truncated GIF' };
}

/** WebP: size from the VP8 / VP8L / VP8X chunk; RIFF size larger than the file = truncated. */
function webp(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'webp', orientation: 1, animated: false };
  if (u32le(b, 4) + 8 > b.length) h.defect = 'truncated WebP';
  if (b.length < 30) return { ...h, defect: 'truncated WebP' };
  const kind = ascii(b, 12, 4), d = 20;
  if (kind === 'VP8 ') {
    h.width = u16le(b, d + 6) & 0x3fff;
    h.height = u16le(b, d + 8) & 0x3fff;
  } else if (kind === 'VP8L') {
    const bits = u32le(b, d + 1);
    h.width = (bits & 0x3fff) + 1;
    h.height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (kind === 'VP8X') {
    h.animated = (b[d] & 0x02) !== 0;
    h.width = u24le(b, d + 4) + 1;
    h.height = u24le(b, d + 7) + 1;
  }
  return h;
}

/** HEIF family (AVIF, HEIC): brand from ftyp, size from the largest `ispe`, rotation/mirror from irot/imir. */
function isobmff(b: Uint8Array): ImageHeader | undefined {
  const brands = [ascii(b, 8, 4)];
  const ftypEnd = Math.min(u32be(b, 0), b.length);
  for (let i = 16; i + 4 <= ftypEnd; i += 4) brands.push(ascii(b, i, 4));
  const format: ImageFormat | undefined = brands.some((x) => x === 'avif' || x === 'avis')
    ? 'avif'
    : brands.some((x) => ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(x)) ? 'heic' : undefined;
  if (!format) return undefined;
  const h: ImageHeader = { format, orientation: 1, animated: brands[0] === 'avis' };
  // Boxes we descend into to reach ipco's properties.
  const containers = new Set(['meta', 'iprp', 'ipco']);
  let best = 0, rot = 0, mirror = -1;
  const walk = (start: number, end: number) => {
    let i = start;
    while (i + 8 <= end) {
      let size = u32be(b, i);
      const type = ascii(b, i + 4, 4);
      let head = 8;
      if (size === 1 && i + 16 <= end) { size = u32be(b, i + 12); head = 16; } // 64-bit size (high word ignored)
      if (size === 0) size = end - i;
      if (size < head) return;
      const boxEnd = Math.min(i + size, end);
      if (containers.has(type)) walk(i + head + (type === 'meta' ? 4 : 0), boxEnd);
      else if (type === 'ispe' && i + 20 <= end) {
        const w = u32be(b, i + 12), hh = u32be(b, i + 16);
        if (w * hh > best) { best = w * hh; h.width = w; h.height = hh; }
      } else if (type === 'irot' && i + 9 <= end) rot = b[i + 8] & 3;
      else if (type === 'imir' && i + 9 <= end) mirror = b[i + 8] & 1;
      i += size;
    }
  };
  walk(ftypEnd, b.length);
  // irot is anticlockwise in quarter turns; mapped onto the EXIF orientation numbers.
  const noMirror = [1, 8, 3, 6][rot];
  h.orientation = mirror < 0 ? noMirror : (mirror === 0 ? [4, 5, 2, 7] : [2, 7, 4, 5])[rot];
  return h;
}

/** A copy of a JPEG whose EXIF orientation says 1: decoders then hand back the stored pixels. */
export function withoutOrientation(b: Uint8Array, h: ImageHeader): Uint8Array {
  if (!h.orientationTag) return b;
  const out = b.slice();
  const { offset, littleEndian } = h.orientationTag;
  out[offset] = littleEndian ? 1 : 0;
  out[offset + 1] = littleEndian ? 0 : 1;
  return out;
}
