/**
 * The three browser engines our users run, driven the same way: open a URL, evaluate an async
 * function with a JSON argument, close. Chromium through playwright-core (as every e2e test);
 * Firefox ESR through puppeteer-core over WebDriver BiDi (no geckodriver); WebKitGTK through
 * Debian's WebKitWebDriver, which starts MiniBrowser under a private Xvfb display, with webdriverio
 * as the W3C WebDriver client. Each engine is skipped, with the reason, when its binary is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser.js';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface EnginePage {
  engine: EngineName;
  /** Runs `fn(arg)` in the page and returns its (JSON) result. */
  evaluate<A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

export const BINARIES: Record<EngineName, string> = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
  webkit: '/usr/bin/WebKitWebDriver',
};
const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * Waits until `check()` is true, polling every 250 ms. Each step is its own short evaluate: a slow
 * engine never runs into a driver's script timeout.
 */
export async function poll(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Why an engine cannot run here, or undefined when it can. */
export function missingEngine(engine: EngineName): string | undefined {
  const need = engine === 'webkit' ? [BINARIES.webkit, MINIBROWSER, '/usr/bin/Xvfb'] : [BINARIES[engine]];
  const absent = need.filter((p) => !existsSync(p));
  return absent.length ? `${engine}: ${absent.join(', ')} not installed (.ci/run installs them)` : undefined;
}

export interface EngineOptions {
  /** Extra Chromium flags (e.g. a fake camera's). */
  chromiumArgs?: string[];
  /** Extra Firefox preferences (e.g. its fake media stream). */
  firefoxPrefs?: Record<string, unknown>;
}

export async function openEngine(engine: EngineName, url: string, options: EngineOptions = {}): Promise<EnginePage> {
  if (engine === 'chromium') return openChromium(url, options.chromiumArgs);
  if (engine === 'firefox') return openFirefox(url, options.firefoxPrefs);
  return openWebKit(url);
}

async function openChromium(url: string, args: string[] = []): Promise<EnginePage> {
  const browser = await chromium.launch({ executablePath: BINARIES.chromium, args: [...CHROMIUM_ARGS, ...args] });
  const page = await browser.newPage();
  await page.goto(url);
  return {
    engine: 'chromium',
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    close: () => browser.close(),
  };
}

async function openFirefox(url: string, prefs: Record<string, unknown> = {}): Promise<EnginePage> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: BINARIES.firefox,
    headless: true,
    // No updates, telemetry or first-run pages: only the test's own traffic.
    extraPrefsFirefox: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false, ...prefs },
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(600_000);
  await page.goto(url);
  return {
    engine: 'firefox',
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    close: () => browser.close(),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  p.stderr?.resume();
  return p;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

async function openWebKit(url: string): Promise<EnginePage> {
  const { remote } = await import('webdriverio');
  // A private X display (MiniBrowser is a GTK app); Xvfb picks a free number and writes it to fd 3.
  const xvfb = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream;
    fd3.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before giving its display`)));
    setTimeout(() => reject(new Error('Xvfb gave no display within 20 s')), 20_000);
  });
  const port = await freePort();
  const env = { ...process.env, DISPLAY: display };
  const driver = startProcess(BINARIES.webkit, [`--port=${port}`, '--host=127.0.0.1'], env);
  const stop = () => {
    driver.kill();
    xvfb.kill();
  };
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok, 'WebKitWebDriver');
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      // One evaluate per corpus file: two minutes is ample, and a hung page fails instead of stalling.
      connectionRetryTimeout: 150_000,
      capabilities: {
        browserName: 'MiniBrowser',
        // Classic WebDriver: WebKitWebDriver does not speak BiDi (webdriverio asks for it by default).
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      } as WebdriverIO.Capabilities,
    });
    await browser.setTimeout({ script: 120_000, pageLoad: 120_000 });
    await browser.url(url);
    return {
      engine: 'webkit',
      // WebDriver's Execute Script waits for a returned promise.
      evaluate: (fn, arg) => browser.execute(fn as never, arg as never) as never,
      async close() {
        await browser.deleteSession().catch(() => undefined);
        stop();
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}
