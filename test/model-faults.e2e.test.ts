/**
 * Model downloads that fail the way networks do, through the worker in Chromium, with an empty cache
 * each time: a reset connection, a 503 and a body cut short are retried and the recognizer starts;
 * a model that cannot be had at all is a MODEL_LOAD naming the file and the cause, never a hang.
 * (Stalls and a missing Cache Storage: test/model-cache.test.ts, on the same code in Node.)
 */
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeData, startE2E, type E2E } from './e2e/browser.js';
import { DATA } from './helpers.js';

const PAIR = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'].map((p) => `/data/lfw-view1/images/${p}`);
let e2e: E2E;
beforeAll(async () => { e2e = await startE2E(); }, 240_000);
afterAll(async () => e2e?.close());

/** A fresh profile (empty caches) on the harness page, with `fault` answering requests for `model` first. */
async function openWith(model: string, fault?: (route: Route, attempt: number) => Promise<void> | void): Promise<{ context: BrowserContext; page: Page; attempts: () => number }> {
  const context = await e2e.browser.newContext();
  const page = await context.newPage();
  await routeData(page, DATA);
  let attempts = 0;
  await context.route(new RegExp(`/${model}[^/]*\\.onnx$`), async (route) => {
    attempts++;
    if (fault) await fault(route, attempts);
    else await route.continue();
  });
  await page.goto(`${e2e.url}test/e2e/harness.html`);
  await page.waitForFunction(() => window.sdkReady === true);
  return { context, page, attempts: () => attempts };
}

/** Creates a recognizer, compares the pair; what happened, as JSON. */
const startAndCompare = (page: Page) => page.evaluate(async (urls) => {
  const t0 = performance.now();
  const loaded: number[] = [];
  try {
    const fr = await window.sdk.createFaceRecognizer({ backend: 'wasm', onProgress: (e) => { if (e.phase === 'download') loaded.push(e.loaded); } });
    const [a, b] = await Promise.all(urls.map(async (u) => (await fetch(u)).blob()));
    const scan = await fr.compareFaces(a, b);
    const sources = fr.info().modelSources;
    await fr.dispose();
    return { result: scan.compare_result, sources, loaded, ms: performance.now() - t0 };
  } catch (e: any) {
    return { error: `${e.code}: ${e.message}`, details: e.details, ms: performance.now() - t0 };
  }
}, PAIR);

describe('model download faults (Chromium)', () => {
  it('a reset connection, a 503 and a body cut short are retried; the recognizer starts and compares', async () => {
    const { context, page, attempts } = await openWith('fr_feature', async (route, n) => {
      if (n === 1) return route.abort('connectionreset');
      if (n === 2) return route.fulfill({ status: 503, body: 'busy' });
      if (n === 3) {
        const res = await route.fetch();
        const body = await res.body();
        // Headers announce the whole model; the connection ends after a third of it.
        return route.fulfill({ status: 200, headers: { ...res.headers(), 'content-length': String(body.length) }, body: body.subarray(0, Math.floor(body.length / 3)) });
      }
      return route.continue();
    });
    const r = await startAndCompare(page);
    await context.close();
    expect(r).toMatchObject({ result: 'Same person' });
    expect(attempts()).toBe(4);
    // The download progress still reached the total, after the failed attempts.
    expect(r.loaded!.length).toBeGreaterThan(0);
  }, 240_000);

  it('a model that cannot be had is MODEL_LOAD naming the file and the cause, within a deadline', async () => {
    const { context, page, attempts } = await openWith('fr_detect', (route) => route.abort('internetdisconnected'));
    const r = await startAndCompare(page);
    await context.close();
    expect(r.error).toMatch(/^MODEL_LOAD: .*fr_detect\.onnx/);
    expect(r.error).toMatch(/4 attempts/);
    expect(attempts()).toBe(4);
    expect(r.ms).toBeLessThan(60_000);
  }, 240_000);
});
