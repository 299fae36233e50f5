/**
 * WebGPU in Chromium on SwiftShader (a software Vulkan GPU): slow, but it runs the real WebGPU
 * execution provider, so it proves the GPU path gives the wasm answer.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, routeData, startE2E, type E2E } from './e2e/browser.js';
import { DATA } from './helpers.js';

const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'];
const PAIR = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'].map((p) => `/data/lfw-view1/images/${p}`);

let e2e: E2E;
let browser: Browser;
beforeAll(async () => {
  e2e = await startE2E();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), ...WEBGPU_ARGS],
  });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await e2e?.close();
});

describe('WebGPU backend', () => {
  it('runs on the adapter and matches wasm: embedding cosine, boxes and landmarks', async () => {
    const page = await browser.newPage();
    await routeData(page, DATA);
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => window.sdkReady === true);
    const r = await page.evaluate(async (urls) => {
      const [a, b] = await Promise.all(urls.map(async (u) => (await fetch(u)).blob()));
      const out: Record<string, any> = {};
      for (const backend of ['wasm', 'webgpu'] as const) {
        const fr = await window.sdk.createFaceRecognizer({ backend, numThreads: 1 });
        const { scan, cosine } = await fr.compare(a, b);
        out[backend] = { info: fr.info(), cosine, face: scan.face1 };
        await fr.dispose();
      }
      return out;
    }, PAIR);
    expect(r.webgpu.info.backend).toBe('webgpu');
    expect(r.webgpu.info.executionProviders.fr_feature).toBe('webgpu');
    // Start-up probe: the GPU embedding of a fixed input agrees with wasm to 1e-4 (fp32 both).
    expect(r.webgpu.info.webgpuAgreement).toBeGreaterThanOrEqual(0.9999);
    // Real faces: same decision, cosine within 1e-3, boxes within 1 px, landmarks within 0.5 px.
    expect(Math.abs(r.webgpu.cosine - r.wasm.cosine)).toBeLessThan(1e-3);
    for (const k of ['x1', 'y1', 'x2', 'y2']) expect(Math.abs(r.webgpu.face[k] - r.wasm.face[k])).toBeLessThanOrEqual(1);
    const maxPointDiff = Math.max(...r.webgpu.face.landmark_68.map((p: { x: number; y: number }, i: number) =>
      Math.hypot(p.x - r.wasm.face.landmark_68[i].x, p.y - r.wasm.face.landmark_68[i].y)));
    expect(maxPointDiff).toBeLessThan(0.5);
    console.log(`WebGPU vs wasm: probe agreement ${r.webgpu.info.webgpuAgreement.toFixed(7)}, cosine ${r.webgpu.cosine.toFixed(5)} vs ${r.wasm.cosine.toFixed(5)}, max landmark diff ${maxPointDiff.toFixed(3)} px`);
    await page.close();
  }, 400_000);

  it('a WebGPU failure at run time (the GPU refuses work, as after a device loss) reruns the call on wasm and stays there', async () => {
    const page = await browser.newPage();
    await routeData(page, DATA);
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => window.sdkReady === true);
    await page.evaluate(async (urls) => {
      const w = window as any;
      w.photos = await Promise.all(urls.map(async (u: string) => (await fetch(u)).blob()));
      w.fr = await window.sdk.createFaceRecognizer({ backend: 'webgpu', numThreads: 1 });
      w.before = w.fr.info().backend;
    }, PAIR);
    // Inside the recognizer's worker: every new GPU command encoder now throws, from the next
    // model run on (onnxruntime's WebGPU provider encodes each run's work through one).
    const worker = page.workers().at(-1)!;
    await worker.evaluate(() => {
      (globalThis as any).GPUDevice.prototype.createCommandEncoder = () => { throw new Error('forced GPU failure'); };
    });
    const r = await page.evaluate(async () => {
      const w = window as any;
      const scan = await w.fr.compareFaces(w.photos[0], w.photos[1]).then((s: any) => s.compare_result, (e: any) => `${e.code}: ${e.message}`);
      const info = w.fr.info();
      const again = await w.fr.compareFaces(w.photos[0], w.photos[1]).then((s: any) => s.compare_result, (e: any) => e.code);
      await w.fr.dispose();
      return { before: w.before, scan, again, backend: info.backend, reason: info.fallbackReason, providers: info.executionProviders };
    });
    expect(r.before).toBe('webgpu');
    expect(r.scan).toBe('Same person');
    expect(r.again).toBe('Same person');
    expect(r.backend).toBe('wasm');
    expect(r.providers.fr_feature).toBe('wasm');
    expect(r.reason).toMatch(/WebGPU failed at run time: .*forced GPU failure/);
    await page.close();
  }, 400_000);

  it('falls back to wasm, and says why, when no adapter exists', async () => {
    const page = await e2e.browser.newPage(); // launched with --disable-gpu: no adapter
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => window.sdkReady === true);
    const info = await page.evaluate(async () => {
      const fr = await window.sdk.createFaceRecognizer({ backend: 'webgpu' });
      const i = fr.info();
      await fr.dispose();
      return i;
    });
    expect(info.backend).toBe('wasm');
    expect(info.fallbackReason).toMatch(/WebGPU not used/);
    await page.close();
  }, 120_000);
});
