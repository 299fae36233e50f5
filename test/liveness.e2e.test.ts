/**
 * Liveness in Debian's Chromium (the Vite-built app, the real worker): the same scores as Node,
 * SPOOF_SUSPECTED with the worker still usable, the model fetched only once liveness is used, and
 * the kiosk's camera flow (?kiosk&liveness=require) with a fake camera filming a real NUAA frame.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVENESS_THRESHOLD } from '../src/contract/liveness.js';
import { createFaceRecognizer } from '../src/node/index.js';
import { CHROMIUM_ARGS, routeData, startE2E, type E2E } from './e2e/browser.js';
import { makeFakeCamera, type FakeCamera } from './e2e/fake-camera.js';
import { DATA } from './helpers.js';
import { NUAA_IMAGES } from './support/nuaa.js';

// Live and print frames across the score range, the borderline ones included (docs/liveness.md).
const FRAMES = [
  'live/0006_00_00_02_236.jpg', 'live/0001_00_00_02_109.jpg', 'live/0001_00_00_02_34.jpg', 'live/0001_00_00_02_57.jpg',
  'print/0003_01_02_03_343.jpg', 'print/0005_00_03_02_342.jpg', 'print/0006_00_02_03_82.jpg',
];
// The kiosk's camera films a live person, or a print of the same person (subject 0006); face 1 is a photo of her.
const LIVE_CAMERA = 'live/0006_00_00_02_236.jpg', PRINT_CAMERA = 'print/0006_00_02_03_82.jpg', REFERENCE = 'live/0006_00_06_03_156.jpg';

let e2e: E2E;
beforeAll(async () => { e2e = await startE2E(); }, 240_000);
afterAll(async () => { await e2e?.close(); });

async function harness(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await routeData(page, DATA);
  await page.goto(`${e2e.url}test/e2e/harness.html`);
  await page.waitForFunction(() => window.sdkReady === true);
  return page;
}

describe('browser API', () => {
  let page: Page;
  const requests: string[] = [];
  beforeAll(async () => {
    page = await harness(e2e.browser);
    page.on('request', (r) => requests.push(r.url()));
    await page.evaluate(async () => {
      (window as any).fr = await window.sdk.createFaceRecognizer({ numThreads: 1 });
    });
  }, 120_000);
  afterAll(async () => page?.close());

  it('a plain compare does not fetch the liveness model; the first liveness call does, once', async () => {
    const live = (f: string) => `/data/nuaa/images/${f}`;
    const scan = await page.evaluate(async ([a, b]) => (window as any).fr.compareFaces(await (await fetch(a)).blob(), await (await fetch(b)).blob()), [live(REFERENCE), live(LIVE_CAMERA)]);
    expect(scan.compare_result).toBe('Same person');
    expect(requests.some((u) => u.endsWith('.onnx') && u.includes('fr_detect'))).toBe(true); // the worker's fetches are seen
    expect(requests.filter((u) => u.includes('fr_liveness'))).toEqual([]);
    await page.evaluate(async (u) => (window as any).fr.liveness(await (await fetch(u)).blob()), live(LIVE_CAMERA));
    await page.evaluate(async (u) => (window as any).fr.liveness(await (await fetch(u)).blob()), live(PRINT_CAMERA));
    expect(requests.filter((u) => u.includes('fr_liveness'))).toHaveLength(1);
  });

  it('gives the Node score within 1e-3 on the same frames', async () => {
    const browser = await page.evaluate(async (urls) => {
      const out = [];
      for (const u of urls) out.push(await (window as any).fr.livenessDetailed(await (await fetch(u)).blob()));
      return out;
    }, FRAMES.map((f) => `/data/nuaa/images/${f}`));
    const fr = await createFaceRecognizer();
    try {
      for (const [i, f] of FRAMES.entries()) {
        const node = await fr.liveness(NUAA_IMAGES + f);
        expect(Math.abs(browser[i].score - node.score), f).toBeLessThan(1e-3);
        expect(browser[i].live, f).toBe(node.live);
        expect(browser[i].box).toEqual(node.box);
      }
    } finally {
      await fr.dispose();
    }
    const ms = browser.map((r: { timings: { liveness: number } }) => r.timings.liveness).sort((a: number, b: number) => a - b);
    console.log(`liveness per face in Chromium (wasm, 1 thread): median ${ms[ms.length >> 1].toFixed(1)} ms`);
  });

  it('compareFaces({ liveness: "image2" }) rejects a print with SPOOF_SUSPECTED; the worker answers the next call', async () => {
    const out = await page.evaluate(async ([a, b, c]) => {
      const fr = (window as any).fr;
      const [ref, print, live] = await Promise.all([a, b, c].map(async (u) => (await fetch(u)).blob()));
      let error;
      try {
        await fr.compareFaces(ref, print, { liveness: 'image2' });
      } catch (e) {
        error = { name: (e as Error).name, code: (e as any).code, details: (e as any).details };
      }
      const next = await fr.compareFaces(ref, live, { liveness: 'image2' });
      return { error, next: next.compare_result };
    }, [REFERENCE, PRINT_CAMERA, LIVE_CAMERA].map((f) => `/data/nuaa/images/${f}`));
    expect(out.error).toMatchObject({ name: 'FaceError', code: 'SPOOF_SUSPECTED', details: { image: 2, threshold: LIVENESS_THRESHOLD } });
    expect(out.error!.details.score).toBeLessThan(LIVENESS_THRESHOLD);
    expect(out.next).toBe('Same person');
  });
});

describe('kiosk camera flow (?kiosk&liveness=require)', () => {
  const cameras: FakeCamera[] = [];
  const browsers: Browser[] = [];
  afterAll(async () => {
    for (const b of browsers) await b.close();
    for (const c of cameras) c.remove();
  });
  async function kiosk(cameraFrame: string): Promise<Page> {
    const camera = await makeFakeCamera(NUAA_IMAGES + cameraFrame);
    cameras.push(camera);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...camera.args] });
    browsers.push(browser);
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 });
    await routeData(page, DATA);
    await page.goto(`${e2e.url}demo/?kiosk&liveness=require&reference=liveness-e2e`);
    await page.waitForSelector('#engine[data-state=ready]', { timeout: 90_000 });
    // Face 1: an uploaded photo of the person, scored and marked too.
    await page.setInputFiles('#file1', NUAA_IMAGES + REFERENCE);
    await page.waitForSelector('#slot1[data-liveness=live] .liveness:not([hidden])', { timeout: 30_000 });
    await page.click('#camera2');
    return page;
  }

  it('a printed photo held up to the camera is marked and never captured', async () => {
    const page = await kiosk(PRINT_CAMERA);
    await page.waitForSelector('#slot2[data-liveness=print][data-hint=liveness-print]', { timeout: 30_000 });
    // Several more frames: still print, capture still off.
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(300);
      expect(await page.getAttribute('#slot2', 'data-liveness')).toBe('print');
      expect(await page.isDisabled('#capture2')).toBe(true);
    }
    expect(await page.textContent('#slot2 .liveness')).toMatch(/^Print\? 0\.\d\d$/);
    const png = await page.screenshot();
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/liveness-kiosk-print.png', png);
  });

  it('a live person is captured once the gate says live, and the comparison runs with the check', async () => {
    const page = await kiosk(LIVE_CAMERA);
    await page.waitForSelector('#slot2[data-liveness=live] #capture2:not([disabled])', { timeout: 30_000 });
    expect(await page.textContent('#slot2 .liveness')).toMatch(/^Live (0|1)\.\d\d$/);
    writeFileSync('test-results/liveness-kiosk-live.png', await page.screenshot());
    await page.click('#capture2');
    await page.waitForSelector('#result:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#verdict')).toMatch(/same person/i);
    expect(await page.getAttribute('#slot2', 'data-liveness')).toBe('live'); // the capture keeps its mark
  });
});
