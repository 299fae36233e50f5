/**
 * The Node recognizer on onnxruntime-node (native) and on onnxruntime-web (wasm) gives the same
 * answers: cosines within 1e-4 and the same verdicts on LFW View 1 test pairs, same and different.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceRecognizer, type NodeFaceRecognizer } from '../src/node/index.js';
import { csvPairs, DATA, LFW } from './helpers.js';

// Every 83rd pair of the 1,000: both labels, spread over the file.
const PAIRS = csvPairs(`${DATA}lfw-view1/pairs_test.csv`).filter((_, i) => i % 83 === 0);

describe('the repo install', () => {
  // onnxruntime-node is an optional peer of the package and a dev dependency of the repo, installed
  // with its CUDA download off (.npmrc): `npm install` here must give the native runtime, never a
  // silent fall-back to wasm.
  it('has onnxruntime-node, with its CPU binding for this platform, and the default recognizer runs on it', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.peerDependenciesMeta['onnxruntime-node']).toEqual({ optional: true });
    expect(pkg.peerDependencies['onnxruntime-node']).toBe(pkg.devDependencies['onnxruntime-node']);
    expect(pkg.dependencies['onnxruntime-node']).toBeUndefined();
    expect(pkg.optionalDependencies?.['onnxruntime-node']).toBeUndefined();
    expect(readFileSync(new URL('../.npmrc', import.meta.url), 'utf8')).toMatch(/^onnxruntime-node-install=skip$/m);
    const ortNode = await import('onnxruntime-node');
    expect(typeof ortNode.InferenceSession.create).toBe('function');
    const fr = await createFaceRecognizer();
    expect(fr.runtime).toBe('onnxruntime-node');
    await fr.dispose();
  });
});

describe('Node runtimes', () => {
  let native: NodeFaceRecognizer, wasm: NodeFaceRecognizer;
  beforeAll(async () => {
    native = await createFaceRecognizer({ runtime: 'onnxruntime-node' });
    wasm = await createFaceRecognizer({ runtime: 'onnxruntime-web' });
  });
  afterAll(async () => {
    await native?.dispose();
    await wasm?.dispose();
  });

  it("'auto' picks onnxruntime-node when it is installed", async () => {
    const fr = await createFaceRecognizer();
    expect(fr.runtime).toBe('onnxruntime-node');
    expect([native.runtime, wasm.runtime]).toEqual(['onnxruntime-node', 'onnxruntime-web']);
    await fr.dispose();
  });

  it('cosines agree within 1e-4 and verdicts are identical on LFW test pairs', async () => {
    expect(new Set(PAIRS.map((p) => p.same))).toEqual(new Set([true, false]));
    for (const p of PAIRS) {
      const [n, w] = [await native.compare(LFW + p.a, LFW + p.b), await wasm.compare(LFW + p.a, LFW + p.b)];
      expect(Math.abs(n.cosine - w.cosine), `${p.a} / ${p.b}`).toBeLessThan(1e-4);
      expect(n.scan.compare_result).toBe(w.scan.compare_result);
      expect([n.scan.face1.x1, n.scan.face1.y2, n.scan.face2.x2]).toEqual([w.scan.face1.x1, w.scan.face1.y2, w.scan.face2.x2]);
    }
  });
});

describe('Node thread settings', () => {
  it('onnxruntime-web: the first recognizer sets the thread count for the process; a later numThreads does not change it', async () => {
    const first = await createFaceRecognizer({ runtime: 'onnxruntime-web', numThreads: 1 });
    const second = await createFaceRecognizer({ runtime: 'onnxruntime-web', numThreads: 3 });
    expect([first.threads, second.threads]).toEqual([1, 1]);
    const a = await first.compare(LFW + PAIRS[0]!.a, LFW + PAIRS[0]!.b);
    const b = await second.compare(LFW + PAIRS[0]!.a, LFW + PAIRS[0]!.b);
    expect(b.cosine).toBeCloseTo(a.cosine, 6);
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('onnxruntime-node: each recognizer keeps its own', async () => {
    const one = await createFaceRecognizer({ runtime: 'onnxruntime-node', numThreads: 1 });
    const two = await createFaceRecognizer({ runtime: 'onnxruntime-node', numThreads: 2 });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    const a = await one.compare(LFW + PAIRS[0]!.a, LFW + PAIRS[0]!.b);
    const b = await two.compare(LFW + PAIRS[0]!.a, LFW + PAIRS[0]!.b);
    expect(Math.abs(a.cosine - b.cosine)).toBeLessThan(1e-5);
    await Promise.all([one.dispose(), two.dispose()]);
  });
});
