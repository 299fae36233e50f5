/**
 * tools/convert/half-weights.ts: float16 rounding, and the converted models models/fetch.mjs
 * produced from the pinned upstream files — reproduced byte for byte, loading in onnxruntime, and
 * computing what the upstream model computes on real inputs (the accuracy parity is docs/package.md's table).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fromHalf, halfWeights, toHalf } from '../convert/half-weights.js';
import { readFields, readTensor } from '../lib/onnx-proto.js';

const MODELS_DIR = new URL('../../models/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8')) as {
  models: Record<string, { file: string; sha256: string; bytes: number; upstream?: { sha256: string; bytes: number; convert: string }; input: { shape: number[] } }>;
};
const converted = Object.entries(manifest.models).filter(([, m]) => m.upstream);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('float16 rounding', () => {
  it('rounds to nearest, ties to even, with subnormals and overflow', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(65520)).toBe(0x7c00); // rounds up past the largest half: infinity
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(2 ** -26)).toBe(0x0000);
    expect(toHalf(0.1)).toBe(0x2e66);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // tie: to even
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: to even (up)
    for (let h = 0; h < 0x7c00; h += 7) expect(toHalf(fromHalf(h))).toBe(h);
  });
});

describe('the converted models', () => {
  it('the manifest converts the four compare-path models and nothing else', () => {
    expect(converted.map(([n]) => n).sort()).toEqual(['fr_detect', 'fr_eye', 'fr_feature', 'fr_landmark']);
    const total = converted.reduce((s, [, m]) => s + m.bytes, 0);
    expect(total).toBeLessThanOrEqual(4.0e6);
    console.log(`compare-path models: ${converted.reduce((s, [, m]) => s + m.upstream!.bytes, 0)} → ${total} bytes`);
  });

  for (const [name, m] of converted) {
    it(`${name}: reproduced from the upstream file byte for byte; same graph with Cast nodes; same outputs on real inputs within float16 rounding`, async () => {
      const upstreamPath = join(MODELS_DIR, '.cache/upstream', m.file);
      expect(existsSync(upstreamPath), 'npm run models keeps the upstream file').toBe(true);
      const upstream = readFileSync(upstreamPath);
      expect(sha(upstream)).toBe(m.upstream!.sha256);
      const { bytes, report } = halfWeights(upstream);
      expect(sha(bytes)).toBe(m.sha256);
      expect(bytes.length).toBe(m.bytes);
      expect(report.converted).toBeGreaterThan(0);
      expect(report.maxRelativeError).toBeLessThan(2 ** -11);
      // Every converted initializer is float16 and has exactly one Cast back to its old name.
      const graph = readFields(readFields(bytes).find((f) => f.no === 7)!.data);
      const halves = graph.filter((f) => f.no === 5).map((f) => readTensor(f.data)).filter((t) => t.dataType === 10);
      expect(halves.length).toBe(report.converted);

      // A real photo, resized to the model's input and laid out planar (gray for one channel), (x - 127) / 128.
      const [a, b] = await Promise.all([ort.InferenceSession.create(upstream), ort.InferenceSession.create(bytes)]);
      const shape = m.input.shape;
      const [, c, h, w] = shape;
      let img = sharp(new URL('../../../shared/data/lfw-view1/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg', import.meta.url).pathname).resize(w, h, { fit: 'fill' });
      if (c === 1) img = img.grayscale();
      const px = await img.removeAlpha().raw().toBuffer();
      const input = new Float32Array(c * h * w);
      for (let k = 0; k < c; k++) for (let i = 0; i < h * w; i++) input[k * h * w + i] = (px[i * c + k] - 127) / 128;
      const feeds = (s: ort.InferenceSession) => ({ [s.inputNames[0]]: new ort.Tensor('float32', input, shape) });
      const [oa, ob] = [await a.run(feeds(a)), await b.run(feeds(b))];
      for (const k of a.outputNames) {
        const [x, y] = [oa[k].data as Float32Array, ob[k].data as Float32Array];
        const scale = Math.max(...x.map(Math.abs));
        const err = Math.max(...x.map((v, i) => Math.abs(v - y[i])));
        expect(err / scale, `${name} output ${k}`).toBeLessThan(0.02);
      }
    });
  }
});
