/** Every error code, from real bad inputs; the recognizer keeps working after each. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, STARTUP_MODEL_NAMES } from '../src/runtime/manifest.js';
import { createFaceRecognizer, FaceError, MAX_INPUT_PIXELS, type NodeFaceRecognizer } from '../src/node/index.js';
import { DEFAULT_MODELS_DIR } from '../src/node/models.js';
import { DEEPFACE, LFW } from './helpers.js';

const A = `${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`;
const B = `${LFW}Aaron_Peirsol/Aaron_Peirsol_0002.jpg`;

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string; image?: number }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FaceError);
    const fe = e as FaceError;
    return { code: fe.code, message: fe.message, image: fe.details.image };
  }
  throw new Error('expected a FaceError');
}

let fr: NodeFaceRecognizer;
const tmp = mkdtempSync(join(tmpdir(), 'fr-errors-'));
beforeAll(async () => { fr = await createFaceRecognizer(); });
afterAll(() => fr.dispose());

describe('bad images', () => {
  it('NO_FACE names the image without a face (a real photo of a scene with no one in it)', async () => {
    // The top-left corner of an LFW photo is background only.
    const background = await sharp(A).extract({ left: 0, top: 0, width: 60, height: 60 }).resize(240, 240).jpeg().toBuffer();
    const e = await codeOf(fr.compareFaces(A, background));
    expect(e).toMatchObject({ code: 'NO_FACE', image: 2 });
  });

  it('IMAGE_DECODE for corrupt, empty, truncated and non-image input', async () => {
    const jpeg = readFileSync(A);
    expect((await codeOf(fr.compareFaces(Buffer.from('not an image at all'), B))).code).toBe('IMAGE_DECODE');
    expect(await codeOf(fr.compareFaces(A, Buffer.alloc(0)))).toMatchObject({ code: 'IMAGE_DECODE', image: 2 });
    expect((await codeOf(fr.compareFaces(jpeg.subarray(0, 200), B))).code).toBe('IMAGE_DECODE');
    expect((await codeOf(fr.compareFaces(join(tmp, 'missing.jpg'), B))).code).toBe('IMAGE_DECODE');
    expect((await codeOf(fr.analyze({ width: 10, height: 10, data: new Uint8Array(10) }))).code).toBe('IMAGE_DECODE');
  });

  it('IMAGE_TOO_LARGE states the limit, without decoding the pixels', async () => {
    const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 10;
    const huge = await sharp({ create: { width: side, height: side, channels: 3, background: '#808080' } }).png({ compressionLevel: 1 }).toBuffer();
    const e = await codeOf(fr.analyze(huge));
    expect(e.code).toBe('IMAGE_TOO_LARGE');
    expect(e.message).toContain(`${MAX_INPUT_PIXELS / 1e6} MP`);
  });

  it('a 12000x9000 photo still works, with results in its own pixels', async () => {
    const small = await fr.analyze(B);
    const big = await sharp(B).resize(12000, 9000, { fit: 'fill' }).jpeg({ quality: 80 }).toBuffer();
    const [face] = await fr.analyze(big);
    const sx = 12000 / 250, sy = 9000 / 250;
    // Same face, scaled: within 4 % of the face width.
    const tol = 0.04 * (face.x2 - face.x1);
    expect(Math.abs(face.x1 - small[0].x1 * sx)).toBeLessThan(tol);
    expect(Math.abs(face.y2 - small[0].y2 * sy)).toBeLessThan(tol * 1.5);
  }, 60_000);
});

describe('options', () => {
  it('INVALID_OPTIONS carries zod’s message', async () => {
    const bad = [{ threshold: 2 }, { channel: 'FAX' }, { reference: 42 }, { colour: 'blue' }];
    for (const o of bad) {
      const e = await codeOf(fr.compareFaces(A, B, o as never));
      expect(e.code).toBe('INVALID_OPTIONS');
    }
    expect((await codeOf(fr.compareFaces(A, B, { threshold: 2 }))).message).toMatch(/threshold/);
  });

  it('MULTIPLE_FACES only when asked; otherwise the main face is used', async () => {
    const group = `${DEEPFACE}couple.jpg`;
    expect((await codeOf(fr.compareFaces(group, A, { rejectMultipleFaces: true }))).code).toBe('MULTIPLE_FACES');
    const r = await fr.compareFaces(group, A);
    expect(r.face1.landmark_68).toHaveLength(68);
  });

  it('LOW_QUALITY only when minQuality is set and a face falls below it', async () => {
    // The same photo blurred (3 px): still a face, but one the quality score rates near 0.
    const blurred = await sharp(B).blur(3).jpeg().toBuffer();
    const [q] = (await fr.analyze(blurred)).map((f) => f.face_quality);
    expect(q).toBeLessThan(0.5);
    const e = await codeOf(fr.compareFaces(A, blurred, { minQuality: 0.5 }));
    expect(e).toMatchObject({ code: 'LOW_QUALITY', image: 2 });
    expect(e.message).toMatch(/quality/);
    expect((await fr.compareFaces(A, blurred)).face2.face_quality).toBeCloseTo(q, 6);
    expect((await fr.compareFaces(A, B, { minQuality: 0.5 })).compare_result).toBe('Same person');
  });

  it('the recognizer still works after every error', async () => {
    expect((await fr.compareFaces(A, B)).compare_result).toBe('Same person');
  });
});

describe('models', () => {
  it('MODEL_LOAD when a model file is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-models-'));
    const e = await codeOf(createFaceRecognizer({ modelsDir: dir }));
    expect(e.code).toBe('MODEL_LOAD');
  });

  it('MODEL_INTEGRITY when a model file is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-models-'));
    for (const m of STARTUP_MODEL_NAMES.map((n) => MODELS[n])) copyFileSync(join(DEFAULT_MODELS_DIR, m.file), join(dir, m.file));
    const bytes = readFileSync(join(dir, MODELS.fr_feature.file));
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(join(dir, MODELS.fr_feature.file), bytes);
    const e = await codeOf(createFaceRecognizer({ modelsDir: dir }));
    expect(e.code).toBe('MODEL_INTEGRITY');
    expect(e.message).toContain('fr_feature.onnx');
  });

  it('DISPOSED after dispose()', async () => {
    const other = await createFaceRecognizer();
    await other.dispose();
    expect((await codeOf(other.analyze(A))).code).toBe('DISPOSED');
  });
});
