/**
 * <face-capture> in the three engines (test/e2e/engines.ts), from the app build of the capture test
 * page: it renders (shadow root, parts, the start button), says no-face on a camera that films no
 * face, and turns camera failures into the SDK's codes. Chromium's camera is a fake device playing
 * an empty scene, Firefox's its fake media stream (a test pattern, no face); WebKitGTK's MiniBrowser
 * has no camera, so it is checked for the error it gives there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBuild, type AppServer } from './e2e/app-server.js';
import { missingEngine, openEngine, type EngineName, type EnginePage, poll } from './e2e/engines.js';
import { makeFakeCameraClip, type FakeCamera } from './e2e/fake-camera.js';
import { LFW } from './helpers.js';

let outDir: string;
let server: AppServer;
let emptyScene: FakeCamera;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'fr-capture-engines-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: { capture: 'test/e2e/capture.html' } } } });
  server = await serveBuild(outDir);
  emptyScene = await makeFakeCameraClip([await sharp(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`).extract({ left: 0, top: 0, width: 60, height: 60 }).resize(640, 480).jpeg().toBuffer()]);
}, 240_000);
afterAll(async () => {
  await server?.stop();
  emptyScene?.remove();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});


/** Mounts the element (its own recognizer) with `attrs`, recording hints and errors on window. */
const mount = (page: EnginePage, attrs: string) => page.evaluate(async (attrs: string) => {
  const w = window as unknown as { hints: string[]; errors: string[]; el: HTMLElement & { start(): Promise<void> } };
  w.hints = [];
  w.errors = [];
  const holder = document.createElement('div');
  holder.innerHTML = `<face-capture ${attrs}></face-capture>`;
  const el = holder.firstElementChild as typeof w.el;
  el.addEventListener('hint', (e) => w.hints.push((e as CustomEvent).detail.code));
  el.addEventListener('error', (e) => w.errors.push((e as unknown as CustomEvent).detail.code));
  document.body.append(el);
  w.el = el;
  const root = el.shadowRoot!;
  return { parts: [...root.querySelectorAll('[part]')].map((p) => p.getAttribute('part')), start: (root.querySelector('[part~=start]') as HTMLElement).hidden };
}, attrs);

const startEl = (page: EnginePage) => page.evaluate(async () => (window as any).el.start().then(() => 'ok', (e: { code?: string; message?: string }) => e.code ?? String(e.message)), null);

describe('<face-capture> in every engine', () => {
  for (const engine of ['chromium', 'firefox', 'webkit'] as EngineName[]) {
    const missing = missingEngine(engine);
    it.skipIf(!!missing)(`${engine}: renders, says no-face on a camera without a face, and reports camera errors${missing ? ` (${missing})` : ''}`, async () => {
      const page = await openEngine(engine, `${server.url}test/e2e/capture.html`, {
        chromiumArgs: emptyScene.args,
        firefoxPrefs: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
      });
      try {
        await poll(() => page.evaluate(async () => (window as any).captureReady === true, null), 'the capture entry');
        const rendered = await mount(page, '');
        expect(rendered.parts).toEqual(expect.arrayContaining(['frame', 'video', 'overlay', 'still', 'hint', 'button start', 'button capture', 'button retake']));
        expect(rendered.start).toBe(false);

        // A camera that does not exist: CAMERA_NOT_FOUND in every engine (WebKitGTK has none at all).
        await page.evaluate(async () => (window as any).el.setAttribute('device-id', 'no-such-camera'), null);
        const code = await startEl(page);
        if (engine === 'webkit') expect(['CAMERA_NOT_FOUND', 'CAMERA_DENIED']).toContain(code);
        else expect(code).toBe('CAMERA_NOT_FOUND');
        expect(await page.evaluate(async () => [(window as any).errors.at(-1), (window as any).el.state], null)).toEqual([code, 'error']);
        if (engine === 'webkit') return; // no camera to film anything

        // The default camera films no face: the hint says so, in the live region.
        await page.evaluate(async () => (window as any).el.removeAttribute('device-id'), null);
        expect(await startEl(page)).toBe('ok');
        await poll(() => page.evaluate(async () => (window as any).hints.includes('no-face'), null), 'the no-face hint');
        expect(await page.evaluate(async () => (window as any).el.shadowRoot.querySelector('[part=hint]').getAttribute('aria-live'), null)).toBe('polite');
        await page.evaluate(async () => (window as any).el.stop(), null);
        expect(await page.evaluate(async () => (window as any).el.state, null)).toBe('idle');
      } finally {
        await page.close();
      }
    });
  }
});
