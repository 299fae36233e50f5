/**
 * The parity corpus (issue #14), built at test time with sharp from one real photo: the files a
 * phone or a web form really produces. Each face file says how its upright pixels relate to the
 * upright original (`scale`), so results from any engine can be checked against Node's.
 */
import sharp, { type Sharp, type CreateRaw } from 'sharp';
import { DEEPFACE } from '../helpers.js';

export interface CorpusFile {
  name: string;
  bytes: Buffer;
  mime: string;
  /** Upright size of the file in source pixels = original size x scale. */
  scale: number;
  /** Expected error code when the file must be refused, else undefined. */
  error?: string;
  /** EXIF orientation written into the file (1 when none). */
  orientation?: number;
}

export const CORPUS_SOURCE = `${DEEPFACE}img1.jpg`;
/** Width of the upright original: small enough to analyse fast in four engines. */
const WIDTH = 480;

/** Stored pixels such that applying EXIF orientation k gives the upright picture (checked by sharp). */
const STORE: Record<number, { rotate: number; flop: boolean }> = {
  1: { rotate: 0, flop: false },
  2: { rotate: 0, flop: true },
  3: { rotate: 180, flop: false },
  4: { rotate: 180, flop: true },
  5: { rotate: 90, flop: true },
  6: { rotate: 270, flop: false },
  7: { rotate: 270, flop: true },
  8: { rotate: 90, flop: false },
};

async function raw(img: Sharp) {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 3 | 4 } });
}

export async function buildCorpus(): Promise<{ upright: Buffer; files: CorpusFile[] }> {
  const base = await raw(sharp(CORPUS_SOURCE).autoOrient().resize({ width: WIDTH }).removeAlpha());
  const upright = await base.clone().png().toBuffer();
  const files: CorpusFile[] = [];
  const add = (name: string, bytes: Buffer, mime: string, extra: Partial<CorpusFile> = {}) => files.push({ name, bytes, mime, scale: 1, ...extra });

  for (let k = 1; k <= 8; k++) {
    const { rotate, flop } = STORE[k];
    const stored = await raw(base.clone().rotate(rotate));
    const bytes = await (flop ? stored.flop() : stored).jpeg({ quality: 95 }).withMetadata({ orientation: k }).toBuffer();
    add(`exif-${k}.jpg`, bytes, 'image/jpeg', { orientation: k });
  }
  add('progressive.jpg', await base.clone().jpeg({ quality: 95, progressive: true }).toBuffer(), 'image/jpeg');
  add('cmyk.jpg', await base.clone().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(), 'image/jpeg');
  add('gray.jpg', await base.clone().grayscale().jpeg({ quality: 95 }).toBuffer(), 'image/jpeg');
  add('rgb16.png', await base.clone().toColourspace('rgb16').png().toBuffer(), 'image/png');
  add('alpha30.png', await base.clone().ensureAlpha(0.3).png().toBuffer(), 'image/png');
  add('photo.webp', await base.clone().webp({ quality: 95 }).toBuffer(), 'image/webp');
  add('photo.avif', await base.clone().avif({ quality: 80 }).toBuffer(), 'image/avif');
  add('animated.gif', await animatedGif(base), 'image/gif');
  add('large.jpg', await base.clone().resize({ width: WIDTH * 6, kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer(), 'image/jpeg', { scale: 6 });
  add('tiny.png', await base.clone().resize({ width: 24 }).png().toBuffer(), 'image/png', { scale: 24 / WIDTH });

  // Files every engine must refuse with the same code.
  const jpeg = files[0].bytes;
  add('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 3)), 'image/jpeg', { error: 'IMAGE_DECODE' });
  add('bomb.png', bombPng(60000, 60000), 'image/png', { error: 'IMAGE_TOO_LARGE' });
  add('circle.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><circle cx="100" cy="100" r="80" fill="#c84"/></svg>'), 'image/svg+xml', { error: 'IMAGE_DECODE' });
  add('fake.heic', fakeHeic(), 'image/heic', { error: 'IMAGE_DECODE' });
  return { upright, files };
}

/** Two frames: the photo, then the photo upside down. The first frame is the one analysed. */
async function animatedGif(base: Sharp): Promise<Buffer> {
  const a = await base.clone().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const b = await base.clone().rotate(180).ensureAlpha().raw().toBuffer();
  const { width, height } = a.info;
  return sharp(Buffer.concat([a.data, b]), { raw: { width, height: height * 2, channels: 4, pageHeight: height } as CreateRaw })
    .gif({ delay: [500, 500], loop: 0 })
    .toBuffer();
}

/** A valid PNG header and one tiny IDAT claiming w x h pixels: a decompression bomb's signature. */
export function bombPng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ftyp box with the HEIC brand and nothing decodable: what a browser without HEVC sees. */
function fakeHeic(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(64, 7)]);
}
