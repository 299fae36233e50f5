/** Builds the demo and the harness like an app would (vite build), serves them cross-origin isolated. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-gpu',
];

export interface E2E {
  url: string;
  browser: Browser;
  outDir: string;
  close(): Promise<void>;
}

export interface E2EOptions {
  /** Extra Chromium flags, after CHROMIUM_ARGS (e.g. a fake camera's). */
  chromiumArgs?: string[];
  /** Extra pages to build beside the demo and the harness (name → html path), e.g. the benchmark's floor. */
  inputs?: Record<string, string>;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const outDir = mkdtempSync(join(tmpdir(), 'fr-e2e-'));
  await build({
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { demo: 'demo/index.html', harness: 'test/e2e/harness.html', ...options.inputs } } },
  });
  const server: PreviewServer = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, strictPort: false } });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])] });
  return {
    url,
    browser,
    outDir,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Serves ../shared/data files to the page under /data/ (same origin, so COEP allows them). */
export async function routeData(page: Page, dataDir: string): Promise<void> {
  await page.route('**/data/**', (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/data\//, ''));
    try {
      route.fulfill({ body: readFileSync(join(dataDir, rel)), headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } });
    } catch {
      route.fulfill({ status: 404, body: 'not found' });
    }
  });
}
