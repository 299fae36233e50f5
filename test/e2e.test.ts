/**
 * End to end in Debian's Chromium: the public API, imported by package name and built with Vite
 * like a consumer app, served with COOP/COEP, running the real models in the Web Worker.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceRecognizer } from '../src/node/index.js';
import { CompareResultSchema, FaceSchema } from '../src/contract/result.js';
import type { LoadProgress } from '../src/contract/options.js';
import { MODELS, STARTUP_MODEL_NAMES } from '../src/runtime/manifest.js';
import { MODEL_CACHE_NAME } from '../src/runtime/model-cache.js';
import { routeData, startE2E, type E2E } from './e2e/browser.js';
import { DATA, LFW } from './helpers.js';

let e2e: E2E;
beforeAll(async () => { e2e = await startE2E(); }, 240_000);
afterAll(async () => { await e2e?.close(); });

const SAME = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'];

describe('browser API (harness page)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await e2e.browser.newPage();
    await routeData(page, DATA);
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => window.sdkReady === true);
    await page.evaluate(async () => {
      (window as unknown as { fr: unknown }).fr = await window.sdk.createFaceRecognizer();
    });
  }, 120_000);
  afterAll(async () => page?.close());

  it('is cross-origin isolated, and multi-threaded wasm gives the single-thread answer', async () => {
    const info = await page.evaluate(() => (window as any).fr.info());
    expect(info).toMatchObject({ backend: 'wasm', crossOriginIsolated: true });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(info.threads).toBe(Math.max(1, Math.min(4, cores - 1)));
    const [one, two] = await page.evaluate(async (urls) => {
      const [a, b] = await Promise.all(urls.map(async (u) => (await fetch(u)).blob()));
      const out = [];
      for (const numThreads of [1, 2]) {
        const fr = await window.sdk.createFaceRecognizer({ numThreads });
        const { scan: r, cosine } = await fr.compare(a, b);
        out.push({ threads: fr.info().threads, cosine, box: [r.face1.x1, r.face1.y1, r.face1.x2, r.face1.y2] });
        await fr.dispose();
      }
      return out;
    }, SAME.map((p) => `/data/lfw-view1/images/${p}`));
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(Math.abs(one.cosine! - two.cosine!)).toBeLessThan(1e-4);
    expect(two.box).toEqual(one.box);
  });

  it('accepts every input type and finds the same face in each', async () => {
    const boxes = await page.evaluate(async (src) => {
      const fr = (window as any).fr;
      const blob = await (await fetch(src)).blob();
      const bitmap = await createImageBitmap(blob);
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width; canvas.height = bitmap.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const imageData = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const off = new OffscreenCanvas(bitmap.width, bitmap.height);
      off.getContext('2d')!.drawImage(bitmap, 0, 0);
      const img = new Image();
      img.src = src;
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = canvas.captureStream(10);
      await video.play();
      await new Promise((r) => setTimeout(r, 300));
      const inputs: [string, unknown][] = [
        ['blob', blob], ['file', new File([blob], 'a.jpg', { type: 'image/jpeg' })], ['bitmap', bitmap],
        ['imageData', imageData], ['img', img], ['canvas', canvas], ['offscreen', off], ['video', video],
        ['rgba', { width: imageData.width, height: imageData.height, data: new Uint8Array(imageData.data) }],
      ];
      const out: Record<string, number[]> = {};
      for (const [name, input] of inputs) {
        const [f] = await fr.analyze(input);
        out[name] = [f.x1, f.y1, f.x2, f.y2];
      }
      // The caller's bitmap and buffers are still usable: inputs were not detached.
      out.bitmapAfter = [bitmap.width, imageData.data.length];
      return out;
    }, `/data/lfw-view1/images/${SAME[0]}`);
    const ref = boxes.blob;
    for (const [name, b] of Object.entries(boxes)) {
      if (name === 'bitmapAfter') continue;
      b.forEach((v, i) => expect(Math.abs(v - ref[i]), `${name}`).toBeLessThanOrEqual(3));
    }
    expect(boxes.bitmapAfter).toEqual([250, 250 * 250 * 4]);
  });

  it('compareFaces returns the platform JSON, the same answer as Node', async () => {
    const { scan, faces, cosine } = await page.evaluate(async ([a, b]) => {
      const fr = (window as any).fr;
      const [ba, bb] = await Promise.all([a, b].map(async (u) => (await fetch(u)).blob()));
      const { scan, cosine } = await fr.compare(ba, bb, { channel: 'WEB', reference: '0002' });
      return { scan, cosine, faces: await fr.analyze(ba) };
    }, SAME.map((p) => `/data/lfw-view1/images/${p}`));
    expect(CompareResultSchema.parse(scan).compare_result).toBe('Same person');
    expect(faces.length).toBeGreaterThanOrEqual(1);
    FaceSchema.parse(faces[0]);
    // Node decodes with sharp, Chromium with its own decoder: answers agree to decoder noise.
    const node = await createFaceRecognizer();
    const ref = await node.compare(LFW + SAME[0], LFW + SAME[1]);
    await node.dispose();
    expect(Math.abs(cosine - ref.cosine)).toBeLessThan(0.01);
    expect(Math.abs(scan.compare_similarity - ref.scan.compare_similarity)).toBeLessThan(0.01);
    for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(scan.face1[k] - ref.scan.face1[k])).toBeLessThanOrEqual(2);
    console.log(`cosine: Chromium ${cosine.toFixed(5)}, Node ${ref.cosine.toFixed(5)}`);
  });

  it('errors keep their code across the worker, and the worker survives them', async () => {
    const codes = await page.evaluate(async (src) => {
      const fr = (window as any).fr;
      const good = await (await fetch(src)).blob();
      const grab = async (p: Promise<unknown>) => p.then(() => 'ok', (e: any) => `${e.name}:${e.code}:${e.details?.image ?? ''}`);
      const canvas = new OffscreenCanvas(200, 200);
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#3a6'; g.fillRect(0, 0, 200, 200);
      const noFace = await canvas.convertToBlob({ type: 'image/png' });
      return {
        noFace: await grab(fr.compareFaces(good, noFace)),
        garbage: await grab(fr.compareFaces(new Blob(['hello'], { type: 'image/jpeg' }), good)),
        // Image 2 decodes while image 1 is analysed: its errors still carry its number, image 1's
        // come first, and a file that cannot be decoded is reported before a face that is missing.
        garbage2: await grab(fr.compareFaces(good, new Blob(['hello'], { type: 'image/jpeg' }))),
        bothBad: await grab(fr.compareFaces(new Blob([]), new Blob(['hello'], { type: 'image/jpeg' }))),
        noFaceThenGarbage: await grab(fr.compareFaces(noFace, new Blob(['hello'], { type: 'image/jpeg' }))),
        empty: await grab(fr.analyze(new Blob([]))),
        options: await grab(fr.compareFaces(good, good, { threshold: 3 })),
        unsupported: await grab(fr.analyze(42)),
        after: await grab(fr.compareFaces(good, good)),
      };
    }, `/data/lfw-view1/images/${SAME[0]}`);
    expect(codes).toEqual({
      noFace: 'FaceError:NO_FACE:2',
      garbage: 'FaceError:IMAGE_DECODE:1',
      garbage2: 'FaceError:IMAGE_DECODE:2',
      bothBad: 'FaceError:IMAGE_DECODE:1',
      noFaceThenGarbage: 'FaceError:IMAGE_DECODE:2',
      empty: 'FaceError:IMAGE_DECODE:1',
      options: 'FaceError:INVALID_OPTIONS:',
      unsupported: 'FaceError:IMAGE_DECODE:1',
      after: 'ok',
    });
  });

  it('models come from the sha256-keyed cache; a tampered cached model is refetched, not used', async () => {
    const r = await page.evaluate(async ([cacheName, ...urls]) => {
      const [a, b] = await Promise.all(urls.map(async (u) => (await fetch(u)).blob()));
      const sources = async () => {
        const fr = await window.sdk.createFaceRecognizer({ backend: 'wasm' });
        const scan = await fr.compareFaces(a, b);
        const out = { sources: fr.info().modelSources, result: scan.compare_result };
        await fr.dispose();
        return out;
      };
      const first = await sources(); // fills the cache (or already filled by earlier tests)
      const cached = await sources();
      // Corrupt the cached embedder: same key, other bytes.
      const cache = await caches.open(cacheName);
      const keys = await cache.keys();
      const sizes = await Promise.all(keys.map(async (k) => (await (await cache.match(k))!.arrayBuffer()).byteLength));
      const biggest = keys[sizes.indexOf(Math.max(...sizes))];
      const bytes = new Uint8Array(await (await cache.match(biggest))!.arrayBuffer());
      bytes[bytes.length >> 1] ^= 0xff;
      await cache.put(biggest, new Response(bytes));
      const afterTamper = await sources();
      const healed = await sources();
      return { first, cached, afterTamper, healed, keys: keys.length };
    }, [MODEL_CACHE_NAME, ...SAME.map((p) => `/data/lfw-view1/images/${p}`)]);
    expect(r.keys).toBe(4);
    expect(Object.values(r.cached.sources)).toEqual(['cache', 'cache', 'cache', 'cache']);
    expect(r.afterTamper.sources['fr_feature.onnx']).toBe('refetch'); // the 4.9 MB embedder was corrupted
    expect(r.afterTamper.result).toBe('Same person');
    expect(Object.values(r.healed.sources)).toEqual(['cache', 'cache', 'cache', 'cache']);
  });

  it('reports start-up progress: model bytes up to their total, each session, warm-up, then ready', async () => {
    const context = await e2e.browser.newContext(); // empty Cache Storage: the models are really downloaded
    const fresh = await context.newPage();
    await fresh.goto(`${e2e.url}test/e2e/harness.html`);
    await fresh.waitForFunction(() => window.sdkReady === true);
    const { events, invalid } = await fresh.evaluate(async () => {
      const events: LoadProgress[] = [];
      const fr = await window.sdk.createFaceRecognizer({ numThreads: 1, onProgress: (e) => events.push(e) });
      await fr.dispose();
      const invalid = await window.sdk.createFaceRecognizer({ onProgress: 42 as never }).then(() => 'ok', (e) => `${e.code}: ${e.message}`);
      return { events, invalid };
    });
    await context.close();
    const phases = events.map((e) => e.phase);
    expect([...new Set(phases)]).toEqual(['download', 'compile', 'warmup', 'ready']);
    expect(phases.lastIndexOf('compile')).toBeLessThan(phases.indexOf('warmup'));
    expect(phases.filter((p) => p === 'ready')).toHaveLength(1);
    expect(phases.at(-1)).toBe('ready');
    const total = STARTUP_MODEL_NAMES.reduce((t, n) => t + MODELS[n].bytes, 0);
    const downloads = events.filter((e) => e.phase === 'download');
    expect(downloads.length).toBeGreaterThan(STARTUP_MODEL_NAMES.length); // per chunk, not per file
    expect(downloads.every((e, i) => e.total === total && (i === 0 || e.loaded >= downloads[i - 1]!.loaded))).toBe(true);
    expect(downloads.at(-1)!.loaded).toBe(total);
    expect(events.filter((e) => e.phase === 'compile').map((e) => [e.file, e.loaded, e.total]))
      .toEqual(STARTUP_MODEL_NAMES.map((n, i) => [MODELS[n].file, i, STARTUP_MODEL_NAMES.length]));
    expect(invalid).toMatch(/^INVALID_OPTIONS: .*onProgress/);
  });

  it('a worker that cannot be loaded fails with MODEL_LOAD, not a wait forever', async () => {
    const got = await page.evaluate(() => window.sdk.createFaceRecognizer({ assetBaseUrl: '/no-such-folder/' }).then(() => 'started', (e) => `${e.code}: ${e.message}`));
    expect(got).toMatch(/^MODEL_LOAD: cannot start the recognizer worker .*\/no-such-folder\/recognizer\.worker\.js/);
  });

  it('dispose() terminates the worker and later calls fail with DISPOSED', async () => {
    const code = await page.evaluate(async () => {
      const fr = await window.sdk.createFaceRecognizer();
      await fr.dispose();
      return fr.analyze(new Blob(['x'])).then(() => 'ok', (e: any) => e.code);
    });
    expect(code).toBe('DISPOSED');
  });
});
