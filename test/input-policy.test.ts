/**
 * The header sniffer and the Node side of the input policy (docs/input-policy.md) on the parity
 * corpus built from a real photo. The browser side is test/parity.e2e.test.ts.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffImage, orientedSize } from '../src/input/image-header.js';
import { createFaceRecognizer, type NodeFaceRecognizer } from '../src/node/index.js';
import { buildCorpus, bombPng, type CorpusFile } from './support/corpus.js';

let corpus: { upright: Buffer; files: CorpusFile[] };
let fr: NodeFaceRecognizer;
beforeAll(async () => {
  corpus = await buildCorpus();
  fr = await createFaceRecognizer();
}, 120_000);
afterAll(async () => fr?.dispose());
const file = (name: string) => corpus.files.find((f) => f.name === name)!;
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e) => e.code);

describe('sniffImage', () => {
  it('reads format, stored size, orientation and animation from the headers, as sharp does', async () => {
    for (const f of corpus.files.filter((x) => !x.error)) {
      const h = sniffImage(f.bytes)!;
      const m = await sharp(f.bytes).metadata();
      expect(h.format, f.name).toBe(m.format === 'heif' ? 'avif' : m.format);
      expect([h.width, h.height], f.name).toEqual([m.width, m.pageHeight ?? m.height]);
      expect(h.orientation, f.name).toBe(m.orientation ?? 1);
      expect(h.animated, f.name).toBe((m.pages ?? 1) > 1);
      expect(orientedSize(h), f.name).toEqual({ width: m.autoOrient.width, height: m.autoOrient.height });
      expect(h.defect, f.name).toBeUndefined();
    }
  });

  it('flags truncated JPEG and PNG, and corrupt markers inside JPEG data', () => {
    const jpeg = file('exif-1.jpg').bytes, png = file('rgb16.png').bytes;
    for (const cut of [0.1, 0.5, 0.99]) {
      expect(sniffImage(jpeg.subarray(0, Math.floor(jpeg.length * cut)))?.defect).toMatch(/truncated JPEG/);
      expect(sniffImage(png.subarray(0, Math.floor(png.length * cut)))?.defect).toMatch(/truncated PNG/);
    }
    // A marker that cannot appear inside the entropy-coded data (SOF0 after the first scan).
    const bad = Buffer.from(jpeg);
    const sos = bad.indexOf(Buffer.from([0xff, 0xda]));
    bad[sos + 400] = 0xff; bad[sos + 401] = 0xc0;
    expect(sniffImage(bad)?.defect).toMatch(/corrupt JPEG/);
  });

  it('knows SVG and HEIC, and nothing else', () => {
    expect(sniffImage(file('circle.svg').bytes)?.format).toBe('svg');
    expect(sniffImage(Buffer.from('\uFEFF<?xml version="1.0"?>\n<!-- x -->\n<svg viewBox="0 0 1 1"></svg>'))?.format).toBe('svg');
    expect(sniffImage(file('fake.heic').bytes)?.format).toBe('heic');
    expect(sniffImage(Buffer.from('hello, not an image'))).toBeUndefined();
    expect(sniffImage(bombPng(60000, 60000))).toMatchObject({ format: 'png', width: 60000, height: 60000 });
  });
});

describe('Node input policy', () => {
  it('refuses the problem files with the codes every engine gives', async () => {
    for (const f of corpus.files.filter((x) => x.error)) expect(await code(fr.analyze(f.bytes)), f.name).toBe(f.error);
    const e = await fr.analyze(file('fake.heic').bytes).catch((x) => x);
    expect(e.message).toMatch(/HEIC/);
    expect((await fr.analyze(file('circle.svg').bytes).catch((x) => x)).message).toMatch(/SVG/);
  });

  it('applies EXIF orientations 1-8 exactly once: the face of the upright original, to 2 px', async () => {
    const [ref] = await fr.analyze(corpus.upright);
    for (let k = 1; k <= 8; k++) {
      const faces = await fr.analyze(file(`exif-${k}.jpg`).bytes);
      expect(faces.length, `exif-${k}`).toBe(1);
      for (const key of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(faces[0][key] - ref[key]), `exif-${k} ${key}`).toBeLessThanOrEqual(2);
    }
  });

  it('composites alpha over white: a 30 % alpha PNG is analysed as the picture shown on a white page', async () => {
    const f = file('alpha30.png').bytes;
    const flat = await sharp(f).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const [a] = await fr.analyze(f);
    const [b] = await fr.analyze({ width: flat.info.width, height: flat.info.height, data: new Uint8Array(flat.data) });
    expect(a).toEqual(b);
  });
});
