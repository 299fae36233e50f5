// @vitest-environment node
/**
 * The client and the PKCE helper in Chromium: the app page is served from one loopback origin, the
 * platform server (API + OIDC provider) from another, so CORS, the redirect round trip, the browser's
 * fetch/FormData/Blob and a module Web Worker are all exercised for real.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../platform-server/platform-server.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));

let platform: PlatformServer;
let app: Server;
let appUrl: string;
let outDir: string;
let browser: Browser;

/** The app page: logs in with PKCE, then drives the client; the outcome lands in window.__result. */
function appHtml(issuer: string): string {
  return `<!doctype html><meta charset="utf-8"><title>platform e2e</title>
<script type="module">
import * as P from '/platform.js';
const issuer = ${JSON.stringify(issuer)};
const auth = P.createPkceAuth({ issuer, clientId: 'browser-e2e', redirectUri: location.origin + '/app.html', storage: sessionStorage });
const retry = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };
const fail = (e) => ({ ok: false, error: String(e), detail: e && e.toJSON ? e.toJSON() : undefined });
async function main() {
  if (!auth.isRedirect()) {
    await auth.login({ returnTo: '/scans' });
    return;
  }
  const { tokens, returnTo } = await auth.handleRedirect();
  history.replaceState(null, '', location.pathname);
  const api = P.createPlatformClient({ baseUrl: issuer, auth, retry });
  const id = crypto.randomUUID();
  const saved = await api.updateScan(id, { compareSimilarity: 0.77, compareResult: 'Same person', salesChannel: 'WEB', elapsedTime: 0.3 });
  const got = await api.getScan(id);
  const listed = [];
  for await (const s of api.listScans({ size: 4 })) listed.push(s.id);
  const cmp = await api.compareFaceRemote(new Blob([new Uint8Array(3000)], { type: 'image/jpeg' }), new File([new Uint8Array(2900)], 'b.jpg'), { channel: 'WEB', reference: 'browser' });
  const entity = P.toScanEntity(cmp, { elapsedTime: 0.5 });
  let notFound;
  try { await api.getScan(crypto.randomUUID()); } catch (e) { notFound = { isPlatformError: e instanceof P.PlatformError, ...e.toJSON() }; }
  let schema;
  try { await api.getScan(${JSON.stringify('00000000-0000-4000-8000-000000000bad')}); } catch (e) { schema = e.toJSON(); }
  // The same client in a module Web Worker, with the access token handed over.
  const worker = new Worker('/worker.js', { type: 'module' });
  const fromWorker = await new Promise((resolve) => {
    worker.onmessage = (ev) => resolve(ev.data);
    worker.onerror = (ev) => resolve({ ok: false, error: ev.message });
    auth.getAccessToken().then((token) => worker.postMessage({ issuer, token }));
  });
  worker.terminate();
  window.__result = { ok: true, returnTo, claims: tokens.claims, saved, got, listed, cmp, entity, notFound, schema, fromWorker,
    stored: JSON.parse(sessionStorage.getItem('platform-auth:tokens')) };
}
main().catch((e) => { window.__result = fail(e); });
</script>`;
}

const WORKER_JS = `import * as P from '/platform.js';
self.onmessage = async ({ data }) => {
  try {
    const api = P.createPlatformClient({ baseUrl: data.issuer, auth: P.staticToken(data.token) });
    const page = await api.listScansPage({ page: 1, size: 3, sort: 'compareSimilarity,desc' });
    self.postMessage({ ok: true, inWorker: typeof WorkerGlobalScope !== 'undefined', page });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e), detail: e.toJSON ? e.toJSON() : undefined });
  }
};`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  outDir = mkdtempSync(join(tmpdir(), 'platform-e2e-'));
  // The browser bundle of the public client API, built the way an app would consume it.
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      lib: { entry: join(root, 'src/platform/index.ts'), formats: ['es'], fileName: () => 'platform.js' },
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
    },
  });
  const bundle = readFileSync(join(outDir, 'platform.js'));

  platform = await startPlatformServer();
  app = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/platform.js' || path === '/worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(path === '/platform.js' ? bundle : WORKER_JS);
    } else if (path === '/app.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(appHtml(platform.url));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (app ? app.close(r) : r(undefined)));
  app?.closeAllConnections();
  await platform?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

beforeEach(() => {
  platform.store.clear();
  platform.faults.clear();
  platform.oidc.grants.authorization_code = 0;
  platform.oidc.grants.refresh_token = 0;
});

describe('in Chromium', () => {
  it('logs in with PKCE against the local provider and uses the client (page and module worker)', async () => {
    const seeded = platform.store.seed(9, platform.oidc.companyId);
    platform.faults.badBody({ id: '00000000-0000-4000-8000-000000000bad', elapsedTime: 'slow' }, { path: '/v1/face-recognition/00000000-0000-4000-8000-000000000bad' });
    // Faults the browser client must ride out: an expired-token 401 (→ refresh grant from the
    // browser) and a 503 on the list (→ retry).
    platform.faults.expiredToken({ method: 'GET', path: /^\/v1\/face-recognition\/[0-9a-f-]{36}$/ });
    platform.faults.error(503, { method: 'GET', path: '/v1/face-recognition' });

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    try {
      await page.goto(`${appUrl}/app.html`, { waitUntil: 'commit' });
      await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: 20_000 });
      const r = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as Record<string, any>;
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      expect(problems).toEqual([]);
      expect(page.url()).toBe(`${appUrl}/app.html`);

      // PKCE: one code exchange, one refresh (after the injected 401), claims from the ID token.
      expect(r.returnTo).toBe('/scans');
      expect(r.claims).toMatchObject({ sub: platform.oidc.userId, aud: 'browser-e2e', iss: platform.url });
      expect(platform.oidc.grants).toEqual({ authorization_code: 1, refresh_token: 1 });
      expect(r.stored.refreshToken).toBeTypeOf('string');

      // The calls.
      expect(r.saved).toMatchObject({ compareSimilarity: 0.77, createdById: platform.oidc.userId });
      expect(r.got).toEqual(r.saved);
      expect(r.listed).toHaveLength(seeded.length + 1); // seeded + the PUT one
      expect(r.cmp).toMatchObject({ channel: 'WEB', reference: 'browser', compare_result: 'Same person' });
      expect(r.cmp.face1.landmark_68).toHaveLength(68);
      expect(r.entity).toMatchObject({ id: r.cmp.id, salesChannel: 'WEB', elapsedTime: 0.5 });

      // Typed errors survive in the browser.
      expect(r.notFound).toMatchObject({ isPlatformError: true, code: 'NOT_FOUND', status: 404 });
      expect(r.schema).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'elapsedTime' });

      // Worker.
      expect(r.fromWorker).toMatchObject({ ok: true, inWorker: true, page: { page: 1, size: 3, totalElements: 11, hasNext: true } });
      const sims = (r.fromWorker.page.items as Array<{ compareSimilarity?: number }>).map((s) => s.compareSimilarity ?? -1);
      expect([...sims].sort((a, b) => b - a)).toEqual(sims);

      expect(platform.faults.served).toMatchObject({ expiredToken: 1, status: 1 });
      expect(platform.faults.pending).toBe(0);
    } finally {
      await context.close();
    }
  }, 40_000);

  it('reports an access_denied login as an AUTH error in the page', async () => {
    platform.faults.deny();
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${appUrl}/app.html`, { waitUntil: 'commit' });
      await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: 20_000 });
      const r = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as Record<string, any>;
      expect(r.ok).toBe(false);
      expect(r.detail).toMatchObject({ code: 'AUTH', serverCode: 'access_denied' });
      expect(platform.oidc.grants.authorization_code).toBe(0);
    } finally {
      await context.close();
    }
  }, 40_000);
});
