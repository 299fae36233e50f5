/**
 * A kiosk never hangs: when the recognizer's worker goes away (terminated without an event, closed
 * from inside, throwing at top level), the calls in it reject with WORKER_CRASHED within a deadline,
 * the next call starts a fresh worker and answers, `stats().restarts` and `onStatus` say so, and
 * after 3 crashes within a minute calls fail until `restart()`. The worker-gone case runs in
 * Chromium, Firefox ESR and WebKitGTK (test/e2e/engines.ts), on two real photos.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBuild, type AppServer } from './e2e/app-server.js';
import { CHROMIUM_ARGS } from './e2e/browser.js';
import { missingEngine, openEngine, type EngineName } from './e2e/engines.js';
import { LFW } from './helpers.js';

const PHOTOS = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'];
/** Longest a pending call may stay pending once its worker is gone (known at once through its life lock; a loaded machine's slack). */
const DEADLINE_MS = 15_000;
let outDir: string;
let server: AppServer;
let harness: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'fr-crash-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: { harness: 'test/e2e/harness.html' } } } });
  mkdirSync(join(outDir, 'photos'));
  PHOTOS.forEach((p, i) => copyFileSync(LFW + p, join(outDir, 'photos', `${i}.jpg`)));
  server = await serveBuild(outDir);
  harness = `${server.url}test/e2e/harness.html`;
}, 240_000);
afterAll(async () => {
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/**
 * In the page: a recognizer whose worker the test can reach (the page's Worker constructor is
 * wrapped, as a test would, to keep the instances), a first compare, two more in flight, the worker
 * terminated 30 ms later; then how each of the two settled, how long that took, and a compare after.
 */
async function crashInFlight(): Promise<Record<string, unknown>> {
  const w = window as any;
  while (!w.sdkReady) await new Promise((r) => setTimeout(r, 50));
  const made: Worker[] = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      made.push(this);
    }
  } as typeof Worker;
  const statuses: string[] = [];
  const fr = await w.sdk.createFaceRecognizer({ backend: 'wasm', onStatus: (s: { state: string }) => statuses.push(s.state) });
  const [a, b] = await Promise.all(['0', '1'].map(async (f) => (await fetch(`/photos/${f}.jpg`)).blob()));
  const first = (await fr.compareFaces(a, b)).compare_result;
  const t0 = performance.now();
  const pending = [fr.compareFaces(a, b), fr.compareFaces(a, b)].map((p: Promise<unknown>) =>
    p.then(() => 'resolved', (e: any) => `${e.code}`).then((r: string) => ({ r, ms: performance.now() - t0 })));
  await new Promise((r) => setTimeout(r, 30));
  made[made.length - 1]!.terminate(); // gone, and the page is told nothing
  const settled = await Promise.all(pending);
  const after = (await fr.compareFaces(a, b)).compare_result;
  const stats = fr.stats();
  await fr.dispose();
  window.Worker = Native;
  return { first, settled, after, restarts: stats.restarts, statuses };
}

describe('worker gone mid-call, in every engine', () => {
  for (const engine of ['chromium', 'firefox', 'webkit'] as EngineName[]) {
    const missing = missingEngine(engine);
    it.skipIf(!!missing)(`${engine}: pending calls reject with WORKER_CRASHED, the next call answers on a new worker${missing ? ` (${missing})` : ''}`, async () => {
      const page = await openEngine(engine, harness);
      try {
        const r = await page.evaluate(crashInFlight, null) as { first: string; settled: { r: string; ms: number }[]; after: string; restarts: number; statuses: string[] };
        expect(r.first).toBe('Same person');
        for (const s of r.settled) {
          expect(s.r).toBe('WORKER_CRASHED');
          expect(s.ms).toBeLessThan(DEADLINE_MS);
        }
        expect(r.after).toBe('Same person');
        expect(r.restarts).toBe(1);
        expect(r.statuses).toEqual(['crashed', 'restarting', 'ready']);
      } finally {
        await page.close();
      }
    }, 600_000);
  }
});

describe('Chromium: the worker closes itself, throws, crashes again and again', () => {
  let browser: Browser;
  let page: Page;
  const THROW = 'setTimeout(() => { throw new Error("boom"); }, 0)';
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage();
    await page.goto(harness);
    await page.waitForFunction(() => (window as any).sdkReady === true);
    await page.evaluate(async () => {
      const w = window as any;
      w.photos = await Promise.all(['0', '1'].map(async (f) => (await fetch(`/photos/${f}.jpg`)).blob()));
      w.crashes = 0;
      w.make = async () => { w.fr = await w.sdk.createFaceRecognizer({ backend: 'wasm', onStatus: (s: any) => { if (s.state === 'crashed') w.crashes++; } }); };
      w.compare = () => {
        const t0 = performance.now();
        return w.fr.compareFaces(w.photos[0], w.photos[1]).then((s: any) => s.compare_result, (e: any) => { w.lastError = e.message; return `${e.code}${e.details?.exhausted ? ':exhausted' : ''}`; })
          .then((r: string) => ({ r, ms: performance.now() - t0 }));
      };
      await w.make();
    });
  }, 240_000);
  afterAll(async () => browser?.close());

  /** The recognizer's worker as Playwright sees it (one thread: the page has no other worker). */
  const recognizerWorker = async () => {
    for (let i = 0; i < 100; i++) {
      const found = page.workers().at(-1);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no worker');
  };
  const compare = () => page.evaluate(() => (window as any).compare()) as Promise<{ r: string; ms: number }>;
  const crashes = () => page.evaluate(() => (window as any).crashes) as Promise<number>;
  /** Runs `code` in the worker; with `wait`, until the page has been told the worker crashed. */
  const inWorker = async (code: string, wait = false) => {
    const before = await crashes();
    await (await recognizerWorker()).evaluate(code).catch(() => undefined); // self.close() may end the evaluation itself
    if (wait) await page.waitForFunction((n) => (window as any).crashes > n, before, { timeout: 60_000 });
  };

  it('self.close() inside the worker: the page knows at once (its life lock), the next call answers on a new worker', async () => {
    expect((await compare()).r).toBe('Same person');
    const t0 = Date.now();
    await inWorker('self.close()', true);
    expect(Date.now() - t0).toBeLessThan(DEADLINE_MS);
    const r = await compare();
    expect(r.r).toBe('Same person');
    expect(r.ms).toBeLessThan(DEADLINE_MS);
  }, 240_000);

  it("an uncaught error at the worker's top level during calls: none hangs, the one in flight is WORKER_CRASHED, then a new worker answers", async () => {
    const pending = page.evaluate(() => Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => (window as any).compare()))) as Promise<{ r: string; ms: number }[]>;
    await new Promise((r) => setTimeout(r, 50));
    await inWorker(THROW);
    const settled = await pending;
    for (const s of settled) {
      expect(['Same person', 'WORKER_CRASHED']).toContain(s.r);
      expect(s.ms).toBeLessThan(DEADLINE_MS);
    }
    expect(settled.map((s) => s.r)).toContain('WORKER_CRASHED');
    expect((await compare()).r).toBe('Same person');
    expect(await page.evaluate(() => (window as any).fr.stats())).toMatchObject({ pending: 0, restarts: 2 });
  }, 240_000);

  it('after 3 restarts within a minute calls fail with WORKER_CRASHED (exhausted) until restart()', async () => {
    await page.evaluate(async () => { const w = window as any; await w.fr.dispose(); await w.make(); });
    for (let i = 0; i < 3; i++) {
      await inWorker(THROW, true);
      const r = await compare(); // restart i + 1
      expect(`${i}: ${r.r}`, await page.evaluate(() => (window as any).lastError)).toBe(`${i}: Same person`);
    }
    await inWorker(THROW, true);
    // Three restarts used within the minute: the next call does not start a fourth.
    expect((await compare()).r).toBe('WORKER_CRASHED:exhausted');
    await page.evaluate(() => (window as any).fr.restart());
    expect((await compare()).r).toBe('Same person');
    expect(await page.evaluate(() => (window as any).fr.stats())).toMatchObject({ pending: 0, restarts: 4 });
  }, 300_000);
});
