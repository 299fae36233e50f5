/**
 * Offline mode of the demo/kiosk page in Chromium (Vite build, served with COOP/COEP) against the
 * local platform server: scans made offline survive a reload (served by the service worker) and a
 * crash and reach the platform exactly once; server faults lose nothing; two tabs do not double-send.
 * The tampered-model case is test/e2e.test.ts ("tamper-refetch", harness page).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from './platform-server/platform-server.js';
import { CompareResultSchema, type CompareResult } from '../src/contract/result.js';
import { serveBuild } from './e2e/app-server.js';
import { startE2E, type E2E } from './e2e/browser.js';
import { LFW } from './helpers.js';

let e2e: E2E;
let platform: PlatformServer;
beforeAll(async () => {
  [e2e, platform] = await Promise.all([startE2E(), startPlatformServer({ port: 0 })]);
}, 240_000);
afterAll(async () => {
  await e2e?.close();
  await platform?.close();
});

/** Same-person pairs from LFW View 1; each scan uses its own files so the page sees new inputs. */
const PAIRS: [string, string][] = [
  ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'],
  ['Abdullah_Gul/Abdullah_Gul_0013.jpg', 'Abdullah_Gul/Abdullah_Gul_0014.jpg'],
  ['Abel_Pacheco/Abel_Pacheco_0001.jpg', 'Abel_Pacheco/Abel_Pacheco_0003.jpg'],
  ['Aaron_Sorkin/Aaron_Sorkin_0001.jpg', 'Aaron_Sorkin/Aaron_Sorkin_0002.jpg'],
];

/** Opens the page with the platform configured and short sync timings (test-only URL parameters). */
async function openKiosk(context: BrowserContext, errors: string[], reference: string, base = e2e.url): Promise<Page> {
  const token = await platform.issueToken();
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}demo/?platform=${encodeURIComponent(platform.url)}&token=${token}&reference=${reference}&sync-backoff-ms=200&sync-poll-ms=300`);
  await page.waitForSelector('#engine[data-state=ready]', { timeout: 90_000 });
  return page;
}

/** Uploads two photos, compares, returns the scan shown (a new one: its id differs from the last). */
async function scanPhotos(page: Page, [a, b]: [string, string]): Promise<CompareResult> {
  const before = await page.textContent('#json');
  await page.setInputFiles('#file1', LFW + a);
  await page.waitForSelector(`#slot1[data-source="${a.split('/')[1]}"][data-hint]`, { timeout: 30_000 });
  await page.setInputFiles('#file2', LFW + b);
  await page.waitForSelector(`#slot2[data-source="${b.split('/')[1]}"][data-hint]`, { timeout: 30_000 });
  await page.click('#compare:not([disabled])');
  await page.waitForFunction((prev) => {
    const r = document.getElementById('result')!;
    return !r.hidden && document.getElementById('json')!.textContent !== prev;
  }, before, { timeout: 60_000 });
  const scan = CompareResultSchema.parse(JSON.parse((await page.textContent('#json'))!));
  expect(scan.compare_result).toBe('Same person');
  return scan;
}

const puts = (id: string) => platform.requests.filter((r) => r === `PUT /v1/face-recognition/${id}`).length;

/** The platform holds the scan entity of this result. */
function expectOnPlatform(scan: CompareResult) {
  expect(platform.store.get(scan.id)).toMatchObject({
    id: scan.id, compareResult: scan.compare_result, compareSimilarity: scan.compare_similarity, salesChannel: scan.channel,
    elapsedTime: expect.any(Number),
  });
}

const outboxEmpty = (page: Page) => page.waitForSelector('#outbox[data-pending="0"][data-failed="0"]', { timeout: 60_000 });

describe('offline kiosk', () => {
  it('scans offline, reload offline (service worker, still isolated, outbox kept), page and worker crash, back online: each scan on the platform exactly once', async () => {
    // Its own server for the built app, so the app shell can really go away during the reload.
    const app = await serveBuild(e2e.outDir);
    const context = await e2e.browser.newContext();
    const errors: string[] = [];
    let page = await openKiosk(context, errors, 'offline', app.url);
    // The app shell is precached once the service worker is active; the models are in Cache Storage.
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);

    // Network off (navigator.onLine false): both scans are kept and queued, nothing is sent.
    await context.setOffline(true);
    await page.waitForSelector('#network[data-state=offline]');
    const scans = [await scanPhotos(page, PAIRS[0]), await scanPhotos(page, PAIRS[1])];
    await page.waitForSelector('#sync-status[data-state=queued]');
    await page.waitForSelector('#outbox[data-pending="2"]');

    // Reload with the app's server really gone and the platform unreachable.
    await app.stop();
    await context.route(`${platform.url}/**`, (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    // Served by the service worker, still cross-origin isolated (COOP/COEP kept on the cached page).
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(async (u) => fetch(u).then(() => 'reachable', () => 'down'), `${platform.url}/v1/face-recognition`)).toBe('down');
    await page.waitForSelector('#outbox[data-pending="2"]'); // the earlier session's scans are still queued
    // The kiosk still compares two photos: worker, wasm and models all come from the device.
    await page.waitForSelector('#engine[data-state=ready]', { timeout: 90_000 });
    scans.push(await scanPhotos(page, PAIRS[2]));
    await page.waitForSelector('#outbox[data-pending="3"]');

    // Crash the renderer, then the app comes back (platform still unreachable) in a new page.
    const crashed = new Promise<boolean>((r) => page.once('crash', () => r(true)));
    const cdp = await context.newCDPSession(page);
    // Page.crash never answers (the renderer it would answer from is gone): wait for the event instead.
    void cdp.send('Page.crash').catch(() => undefined);
    expect(await Promise.race([crashed, new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))])).toBe(true);
    await page.close();
    await app.start();
    page = await openKiosk(context, errors, 'offline', app.url);
    scans.push(await scanPhotos(page, PAIRS[3]));
    await page.waitForSelector('#outbox[data-pending="4"]');
    // Crash the recognizer worker too: the outbox lives in the page and IndexedDB, not in the worker.
    // The recognizer worker is started from a blob: bootstrap module (src/index.ts); it is the page's only worker.
    const [worker] = page.workers();
    expect(worker).toBeDefined();
    const workerGone = new Promise<boolean>((r) => worker.once('close', () => r(true)));
    void worker.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
    expect(await Promise.race([workerGone, new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))])).toBe(true);
    for (const s of scans) expect(puts(s.id)).toBe(0);

    // The network returns: the outbox drains.
    await context.unroute(`${platform.url}/**`);
    await outboxEmpty(page);
    for (const s of scans) {
      expect(puts(s.id)).toBe(1);
      expectOnPlatform(s);
    }
    expect(await page.textContent('#outbox')).toMatch(/^Outbox: 0 pending · last sync /);
    expect(errors).toEqual([]);
    await context.close();
    await app.stop();
  }, 300_000);

  it('server faults during sync (500 twice, 429 with Retry-After 0 and 1, dropped connection) lose nothing', async () => {
    const context = await e2e.browser.newContext();
    const errors: string[] = [];
    const page = await openKiosk(context, errors, 'faults');
    const served = { ...platform.faults.served };
    platform.faults.error(500, { method: 'PUT', times: 2 });
    platform.faults.rateLimit(0, { method: 'PUT' });
    platform.faults.rateLimit(1, { method: 'PUT' });
    platform.faults.drop({ method: 'PUT' });
    const scan = await scanPhotos(page, PAIRS[0]);
    await page.waitForSelector('#sync-status[data-state=saved]', { timeout: 60_000 });
    expect(platform.faults.pending).toBe(0);
    expect(platform.faults.served.status - (served.status ?? 0)).toBe(2);
    expect(platform.faults.served.rateLimit - (served.rateLimit ?? 0)).toBe(2);
    expect(platform.faults.served.drop - (served.drop ?? 0)).toBe(1);
    expect(puts(scan.id)).toBeGreaterThanOrEqual(6); // five refused attempts, then the one that landed
    expectOnPlatform(scan);
    await outboxEmpty(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('two tabs with pending scans: each scan is PUT exactly once', async () => {
    const context = await e2e.browser.newContext();
    const errors: string[] = [];
    const [a, b] = await Promise.all([openKiosk(context, errors, 'tabs'), openKiosk(context, errors, 'tabs')]);
    await context.setOffline(true);
    await Promise.all([a, b].map((p) => p.waitForSelector('#network[data-state=offline]')));
    const scans = [await scanPhotos(a, PAIRS[3]), await scanPhotos(b, PAIRS[2]), await scanPhotos(a, PAIRS[1])];
    for (const s of scans) expect(puts(s.id)).toBe(0);
    await context.setOffline(false); // both tabs see `online` at once and both try to sync
    await Promise.all([outboxEmpty(a), outboxEmpty(b)]);
    for (const s of scans) {
      expect(puts(s.id)).toBe(1);
      expectOnPlatform(s);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
