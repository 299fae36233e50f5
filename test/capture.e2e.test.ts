/**
 * <face-capture> in Debian's Chromium, from the built package (imported by name, as an app would),
 * with fake cameras that play clips made at test time from real frame sequences: a live person
 * (NUAA live frames in frame order) is captured by itself, a printed photo (NUAA print frames) never
 * under liveness="require", an empty scene says no-face, a couple several-faces, a darkened person
 * too-dark; camera errors (permission denied, track ended); nothing analysed while the tab is hidden.
 * Two signals are given to the page by hand because headless Chromium never sends them: a track's
 * 'ended' event (its fake camera cannot be unplugged) and a hidden document (every tab stays visible).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, startE2E, type E2E } from './e2e/browser.js';
import { makeFakeCameraClip, type FakeCamera } from './e2e/fake-camera.js';
import { NUAA_IMAGES, nuaaSequence } from './support/nuaa.js';
import { DEEPFACE, LFW } from './helpers.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ inputs: { capture: 'test/e2e/capture.html' } });
}, 240_000);
afterAll(async () => { await e2e?.close(); });

const live = nuaaSequence('0004', true).slice(0, 12).map((f) => NUAA_IMAGES + f.image);
const print = nuaaSequence('0004', false).slice(0, 12).map((f) => NUAA_IMAGES + f.image);

/** A browser whose camera plays `camera`, and a page with the element's entry loaded. */
async function withCamera<T>(camera: FakeCamera, run: (page: Page, browser: Browser) => Promise<T>, grant = true): Promise<T> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...camera.args] });
  try {
    const context = await browser.newContext({ permissions: grant ? ['camera'] : [] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.url}test/e2e/capture.html`);
    await page.waitForFunction(() => window.captureReady === true);
    const out = await run(page, browser);
    expect(errors).toEqual([]);
    return out;
  } finally {
    await browser.close();
    camera.remove();
  }
}

/** Puts <face-capture …attrs> on the page with a recognizer made once, recording its events on window.log. */
async function mount(page: Page, attrs: string) {
  await page.evaluate(async (attrs) => {
    const w = window as unknown as { log: { type: string; detail: unknown }[]; fr: unknown; el: HTMLElement };
    w.log = [];
    w.fr = await window.sdk.createFaceRecognizer({ backend: 'wasm' });
    const holder = document.createElement('div');
    holder.innerHTML = `<face-capture ${attrs}></face-capture>`;
    const el = holder.firstElementChild as HTMLElement & { recognizer: unknown };
    el.recognizer = w.fr;
    for (const type of ['hint', 'capture', 'error', 'statechange']) {
      document.body.addEventListener(type, (e) => {
        const d = (e as CustomEvent).detail;
        w.log.push({ type, detail: type === 'capture' ? { ...d, blob: { size: d.blob.size, type: d.blob.type } } : type === 'error' ? { code: d.code, message: d.message } : d });
      });
    }
    document.body.append(el);
    w.el = el;
  }, attrs);
}

const log = (page: Page) => page.evaluate(() => (window as unknown as { log: { type: string; detail: any }[] }).log);
const start = (page: Page) => page.evaluate(() => (window as unknown as { el: { start(): Promise<void> } }).el.start().then(() => 'ok', (e: { code: string }) => e.code));
const hintCodes = async (page: Page) => (await log(page)).filter((e) => e.type === 'hint').map((e) => e.detail.code as string);

describe('<face-capture> in Chromium', () => {
  it('a live person (real webcam frames) is captured by itself under liveness="require"', async () => {
    await withCamera(await makeFakeCameraClip(live), async (page) => {
      await mount(page, 'liveness="require" auto-capture');
      expect(await start(page)).toBe('ok');
      await page.waitForFunction(() => (window as any).log.some((e: { type: string }) => e.type === 'capture'), undefined, { timeout: 60_000 });
      const events = await log(page);
      const cap = events.find((e) => e.type === 'capture')!.detail;
      expect(cap).toMatchObject({ width: 640, height: 480, blob: { type: 'image/jpeg' }, liveness: { live: true } });
      expect(cap.blob.size).toBeGreaterThan(10_000);
      expect(cap.face.x2).toBeGreaterThan(cap.face.x1);
      expect(await hintCodes(page)).toContain('checking');
      // The camera is released after the capture; the element shows the still and a Retake button.
      expect(await page.evaluate(() => (window as any).el.controller.stream)).toBeUndefined();
      expect(await page.evaluate(() => (window as any).el.state)).toBe('captured');
      expect(await page.evaluate(() => !(window as any).el.shadowRoot.querySelector('img[part=still]').hidden)).toBe(true);
      // Retake by keyboard: the focus is on Retake, Enter starts the camera again.
      expect(await page.evaluate(() => (window as any).el.shadowRoot.activeElement?.getAttribute('part'))).toBe('button retake');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window as any).el.state === 'live' || (window as any).el.state === 'captured', undefined, { timeout: 30_000 });
    });
  });

  it('a printed photo (real frames) is never captured under liveness="require"; it says "print"', async () => {
    await withCamera(await makeFakeCameraClip(print), async (page) => {
      await mount(page, 'liveness="require" auto-capture');
      expect(await start(page)).toBe('ok');
      // At least 15 frames analysed: more than the whole clip, several loops of each print frame.
      await page.evaluate(() => new Promise<void>((resolve) => {
        let n = 0;
        (window as any).el.controller.addEventListener('frame', () => { if (++n >= 15) resolve(); });
      }));
      const events = await log(page);
      expect(events.some((e) => e.type === 'capture')).toBe(false);
      expect(await hintCodes(page)).toContain('print');
      expect(await page.evaluate(() => (window as any).el.capture())).toBeUndefined(); // by hand neither
    });
  });

  const scenes: [string, string, () => Promise<FakeCamera>][] = [
    ['no-face', 'an empty scene (a background crop of a real photo)', async () => makeFakeCameraClip([await sharp(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`).extract({ left: 0, top: 0, width: 60, height: 60 }).resize(640, 480).jpeg().toBuffer()])],
    ['several-faces', 'a couple', () => makeFakeCameraClip([`${DEEPFACE}couple.jpg`])],
    ['too-dark', 'the live frames at 30 % exposure', () => makeFakeCameraClip(live, { transform: (s) => s.linear(0.3, 0) })],
  ];
  for (const [code, what, make] of scenes) {
    it(`${code}: ${what}`, async () => {
      await withCamera(await make(), async (page) => {
        await mount(page, 'auto-capture');
        expect(await start(page)).toBe('ok');
        await page.waitForFunction((code) => (window as any).log.some((e: { type: string; detail: { code: string } }) => e.type === 'hint' && e.detail.code === code), code, { timeout: 60_000 });
        const hint = (await log(page)).find((e) => e.type === 'hint' && e.detail.code === code)!.detail;
        expect(hint.ok).toBe(false);
        // The hint is in the element's live region, for screen readers.
        expect(await page.evaluate(() => { const p = (window as any).el.shadowRoot.querySelector('[part=hint]'); return [p.getAttribute('aria-live'), p.textContent]; })).toEqual(['polite', hint.message]);
        expect((await log(page)).some((e) => e.type === 'capture')).toBe(false);
      });
    });
  }

  it('permission denied → CAMERA_DENIED (error event, start() rejects)', async () => {
    await withCamera(await makeFakeCameraClip(live, { autoAccept: false }), async (page) => {
      await mount(page, '');
      expect(await start(page)).toBe('CAMERA_DENIED');
      const events = await log(page);
      expect(events.find((e) => e.type === 'error')!.detail.code).toBe('CAMERA_DENIED');
      expect(await page.evaluate(() => (window as any).el.state)).toBe('error');
    }, false);
  });

  it('the camera track ending → CAMERA_ENDED, and the loop stops', async () => {
    await withCamera(await makeFakeCameraClip(live), async (page) => {
      await mount(page, '');
      expect(await start(page)).toBe('ok');
      await page.waitForFunction(() => (window as any).log.some((e: { type: string }) => e.type === 'hint'), undefined, { timeout: 60_000 });
      // Chromium's fake camera cannot be unplugged, and revoking the permission does not end its track:
      // the track gets the 'ended' event a browser fires when a camera goes away.
      await page.evaluate(() => (window as any).el.controller.stream.getVideoTracks()[0].dispatchEvent(new Event('ended')));
      const events = await log(page);
      expect(events.find((e) => e.type === 'error')?.detail.code).toBe('CAMERA_ENDED');
      expect(await page.evaluate(() => (window as any).el.state)).toBe('error');
      // The camera is released and nothing more is analysed.
      expect(await page.evaluate(() => (window as any).el.controller.stream)).toBeUndefined();
      expect(await page.evaluate(() => (window as any).el.shadowRoot.querySelector('video').srcObject)).toBeNull();
    });
  });

  it('a hidden tab analyses nothing', async () => {
    await withCamera(await makeFakeCameraClip(live), async (page) => {
      await mount(page, '');
      expect(await start(page)).toBe('ok');
      await page.evaluate(() => {
        const w = window as any;
        w.frames = 0;
        w.el.controller.addEventListener('frame', () => { w.frames++; });
      });
      await page.waitForFunction(() => (window as any).frames >= 2, undefined, { timeout: 60_000 });
      // Headless Chromium keeps every tab visible (another tab in front, a minimised window: still
      // 'visible'), so the page is told what a browser tells a hidden tab: document.hidden and the event.
      const setHidden = (hidden: boolean) => page.evaluate((hidden) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
      await setHidden(true);
      expect(await page.evaluate(() => (window as any).el.state)).toBe('paused');
      // Let the one frame that may have been in flight when the tab was hidden settle, then count.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
      const before = await page.evaluate(() => (window as any).frames);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 2000))); // the loop would analyse several frames meanwhile
      expect(await page.evaluate(() => (window as any).frames)).toBe(before);
      await setHidden(false);
      expect(await page.evaluate(() => (window as any).el.state)).toBe('live');
      await page.waitForFunction((n) => (window as any).frames > n, before, { timeout: 30_000 });
    });
  });
});

describe('<face-capture> accessibility', () => {
  it('hint region, named buttons, keyboard focus with a visible ring, WCAG AA text contrast', async () => {
    await withCamera(await makeFakeCameraClip([`${DEEPFACE}img1.jpg`]), async (page) => {
      await mount(page, '');
      const report = await page.evaluate(() => {
        const root = (window as any).el.shadowRoot as ShadowRoot;
        const rgb = (c: string) => c.match(/[\d.]+/g)!.slice(0, 3).map(Number);
        const lum = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const ratio = (a: string, b: string) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x! + 0.05) / (y! + 0.05); };
        const contrast = (el: Element) => { const s = getComputedStyle(el); return ratio(s.color, s.backgroundColor); };
        const hint = root.querySelector('[part=hint]')!;
        hint.textContent = 'x';
        const buttons = [...root.querySelectorAll('button')];
        const cap = buttons[1]!;
        cap.hidden = false; // disabled until a fit frame: its colours must pass too
        return {
          live: [hint.getAttribute('role'), hint.getAttribute('aria-live')],
          names: buttons.map((b) => b.textContent!.trim()),
          hint: contrast(hint),
          enabled: contrast(buttons[0]!),
          disabled: [cap.disabled, contrast(cap)],
        };
      });
      expect(report.live).toEqual(['status', 'polite']);
      expect(report.names).toEqual(['Start camera', 'Capture', 'Retake']);
      expect(report.hint).toBeGreaterThanOrEqual(4.5);
      expect(report.enabled).toBeGreaterThanOrEqual(4.5);
      expect(report.disabled[0]).toBe(true);
      expect(report.disabled[1]).toBeGreaterThanOrEqual(4.5);
      // Tab reaches the start button inside the shadow root, and its focus ring is drawn.
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const root = (window as any).el.shadowRoot as ShadowRoot;
        const b = root.activeElement as HTMLElement | null;
        const s = b && getComputedStyle(b);
        return { part: b?.getAttribute('part'), outline: s && [s.outlineStyle, parseFloat(s.outlineWidth)] };
      });
      expect(focus.part).toBe('button start');
      expect(focus.outline![0]).toBe('solid');
      expect(focus.outline![1]).toBeGreaterThanOrEqual(2);
      // Enter on it starts the camera.
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window as any).el.state === 'live', undefined, { timeout: 30_000 });
    });
  });
});
