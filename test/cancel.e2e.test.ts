/**
 * The browser recognizer under load and cancellation, in Chromium, on real photos: 50 concurrent
 * calls from the page all settle, in call order, none lost; `{ signal }` rejects with ABORTED at
 * once and a queued call that is aborted never runs in the worker; dispose() during calls rejects
 * them with DISPOSED and returns. And a page under a strict Content-Security-Policy compares two
 * photos (README, "Content-Security-Policy").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolationHeaders } from '../vite.config.js';
import { CHROMIUM_ARGS, routeData } from './e2e/browser.js';
import { DATA } from './helpers.js';

/** The policy README asks integrators to allow: nothing from elsewhere, no eval, no blob: workers. */
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";

const A = '/data/lfw-view1/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg';
const B = '/data/lfw-view1/images/Aaron_Peirsol/Aaron_Peirsol_0002.jpg';

let browser: Browser;
let servers: PreviewServer[] = [];
let url: string, cspUrl: string;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'fr-cancel-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: { harness: 'test/e2e/harness.html' } } } });
  const serve = (headers: Record<string, string>) => preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, strictPort: false, headers } });
  servers = [await serve(isolationHeaders), await serve({ ...isolationHeaders, 'Content-Security-Policy': STRICT_CSP })];
  [url, cspUrl] = servers.map((s) => `${s.resolvedUrls!.local[0]}test/e2e/harness.html`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function open(at: string): Promise<Page> {
  const page = await browser.newPage();
  await routeData(page, DATA);
  await page.goto(at);
  await page.waitForFunction(() => window.sdkReady === true);
  return page;
}

describe('browser recognizer: load, cancellation, dispose', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open(url);
    await page.evaluate(async () => {
      (window as any).fr = await window.sdk.createFaceRecognizer({ backend: 'wasm' });
    });
  }, 120_000);
  afterAll(async () => page?.close());

  it('50 concurrent calls from the page all settle, in call order, none lost', async () => {
    const r = await page.evaluate(async ([a, b]) => {
      const fr = (window as any).fr;
      const [ba, bb] = await Promise.all([a, b].map(async (u) => (await fetch(u)).blob()));
      const order: number[] = [];
      const calls = Array.from({ length: 50 }, (_, i) => {
        const p = i % 2 ? fr.analyze(ba) : fr.compareFaces(ba, bb);
        return p.then((v: any) => { order.push(i); return i % 2 ? v.length : v.compare_result; }, (e: any) => { order.push(i); return `error ${e.code}`; });
      });
      const results = await Promise.all(calls);
      return { results, order, stats: fr.stats() };
    }, [A, B]);
    expect(r.results).toHaveLength(50);
    r.results.forEach((v, i) => expect(v, `call ${i}`).toBe(i % 2 ? 1 : 'Same person'));
    expect(r.order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(r.stats.pending).toBe(0);
  });

  it('an aborted queued call rejects at once with ABORTED and never runs in the worker; the worker stays usable', async () => {
    const r = await page.evaluate(async ([a, b]) => {
      const fr = (window as any).fr;
      const [ba, bb] = await Promise.all([a, b].map(async (u) => (await fetch(u)).blob()));
      const before = fr.stats();
      const events: string[] = [];
      const track = (name: string, p: Promise<unknown>) => p.then(() => { events.push(`${name}:ok`); }, (e: any) => { events.push(`${name}:${e.code}`); });
      const ac = new AbortController();
      const first = track('first', fr.compareFaces(ba, bb));
      const second = track('second', fr.compareFaces(ba, bb));
      const queued = track('queued', fr.compareFaces(ba, bb, { signal: ac.signal }));
      const last = track('last', fr.analyze(ba));
      // When the first settles, the second is running in the worker and the third waits in the
      // worker's queue behind it: the cancel message must stop it there.
      await first;
      ac.abort();
      await queued;
      const atAbort = [...events];
      await Promise.all([first, second, last]);
      const pre = new AbortController();
      pre.abort();
      const already = await fr.analyze(ba, { signal: pre.signal }).then(() => 'ok', (e: any) => e.code);
      const after = await fr.compareFaces(ba, bb).then((s: any) => s.compare_result);
      return { atAbort, events, already, after, before, stats: fr.stats() };
    }, [A, B]);
    // Rejected at once, before the call running ahead of it finished.
    expect(r.atAbort).toEqual(['first:ok', 'queued:ABORTED']);
    expect(r.events).toEqual(['first:ok', 'queued:ABORTED', 'second:ok', 'last:ok']);
    expect(r.already).toBe('ABORTED');
    expect(r.after).toBe('Same person');
    // The worker reported both aborted calls as never started.
    expect(r.stats.aborted - r.before.aborted).toBe(2);
    expect(r.stats.skipped - r.before.skipped).toBe(2);
    expect(r.stats.pending).toBe(0);
  });

  it('aborting a call in flight rejects it at once; a signal that is not an AbortSignal is INVALID_OPTIONS', async () => {
    const r = await page.evaluate(async ([a, b]) => {
      const fr = (window as any).fr;
      const [ba, bb] = await Promise.all([a, b].map(async (u) => (await fetch(u)).blob()));
      // A 24 MP photo (the face tiled up): its decode alone takes far longer than the 20 ms below.
      const photo = await createImageBitmap(ba);
      const big = new OffscreenCanvas(6000, 4000);
      const g = big.getContext('2d')!;
      for (let x = 0; x < 6000; x += 250) for (let y = 0; y < 4000; y += 250) g.drawImage(photo, x, y);
      const bigBlob = await big.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
      const ac = new AbortController();
      const events: string[] = [];
      const running = fr.analyze(bigBlob, { signal: ac.signal }).then(() => events.push('running:ok'), (e: any) => events.push(`running:${e.code}`));
      const next = fr.compareFaces(ba, bb).then(() => events.push('next:ok'));
      await new Promise((res) => setTimeout(res, 20));
      ac.abort();
      await Promise.all([running, next]);
      const bad = await fr.analyze(ba, { signal: 'stop' }).then(() => 'ok', (e: any) => e.code);
      return { events, bad };
    }, [A, B]);
    expect(r.events).toEqual(['running:ABORTED', 'next:ok']);
    expect(r.bad).toBe('INVALID_OPTIONS');
  });

  it('dispose() during calls rejects the pending ones with DISPOSED and returns', async () => {
    const r = await page.evaluate(async ([a, b]) => {
      const [ba, bb] = await Promise.all([a, b].map(async (u) => (await fetch(u)).blob()));
      const fr = await window.sdk.createFaceRecognizer({ backend: 'wasm' });
      const calls = Array.from({ length: 6 }, () => fr.compareFaces(ba, bb).then(() => 'ok', (e: any) => e.code));
      // Once the first is in the worker (its payloads are ready almost at once), none has settled.
      await new Promise((res) => setTimeout(res, 5));
      await fr.dispose();
      const outcomes = await Promise.all(calls);
      const later = await fr.analyze(ba).then(() => 'ok', (e: any) => e.code);
      return { outcomes, later, pending: fr.stats().pending };
    }, [A, B]);
    expect(r.outcomes).toEqual(Array(6).fill('DISPOSED'));
    expect(r.later).toBe('DISPOSED');
    expect(r.pending).toBe(0);
  });
});

describe('strict Content-Security-Policy', () => {
  it(`a page served with "${STRICT_CSP}" compares two photos`, async () => {
    const page = await open(cspUrl);
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content.Security.Policy|CSP/i.test(m.text())) violations.push(m.text()); });
    try {
      const r = await page.evaluate(async ([a, b]) => {
        const [ba, bb] = await Promise.all([a, b].map(async (u) => (await fetch(u)).blob()));
        try {
          const fr = await window.sdk.createFaceRecognizer({ backend: 'wasm' });
          const scan = await fr.compareFaces(ba, bb);
          await fr.dispose();
          return { result: scan.compare_result, similarity: scan.compare_similarity };
        } catch (e: any) {
          return { error: `${e.code}: ${e.message}` };
        }
      }, [A, B]);
      if ('error' in r) console.log(`CSP page: ${r.error}\n${violations.join('\n')}`);
      expect(r).toMatchObject({ result: 'Same person' });
    } finally {
      await page.close();
    }
  }, 180_000);
});
