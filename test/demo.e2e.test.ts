/**
 * The demo page in Debian's Chromium, built with Vite and served with COOP/COEP, with a fake
 * camera that films a real face photo (a .y4m made at test time) and the local platform server.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from './platform-server/platform-server.js';
import { CompareResultSchema, type CompareResult } from '../src/contract/result.js';
import { startE2E, type E2E } from './e2e/browser.js';
import { makeFakeCamera, type FakeCamera } from './e2e/fake-camera.js';
import { DEEPFACE } from './helpers.js';

let e2e: E2E;
let platform: PlatformServer;
let camera: FakeCamera;
beforeAll(async () => {
  camera = await makeFakeCamera(`${DEEPFACE}img1.jpg`);
  [e2e, platform] = await Promise.all([startE2E({ chromiumArgs: camera.args }), startPlatformServer({ port: 0 })]);
}, 240_000);
afterAll(async () => {
  await e2e?.close();
  await platform?.close();
  camera?.remove();
});

const PHONE = { width: 390, height: 844 }, DESKTOP = { width: 1100, height: 900 };

async function openDemo(query = '', viewport = DESKTOP): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await e2e.browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${e2e.url}demo/${query}`);
  await page.waitForSelector('#engine[data-state=ready]', { timeout: 90_000 });
  return { page, context, errors };
}

async function result(page: Page): Promise<CompareResult> {
  await page.waitForSelector('#result:not([hidden])', { timeout: 60_000 });
  return CompareResultSchema.parse(JSON.parse((await page.textContent('#json'))!));
}

/** Pixels drawn on a canvas (alpha > 0): the live overlay is transparent where nothing is drawn. */
const drawnPixels = (page: Page, selector: string) =>
  page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
    return n;
  });

/** Saves a screenshot as a test artifact and checks it shows content, not one flat colour. */
async function saveScreenshot(png: Buffer, name: string) {
  mkdirSync('test-results', { recursive: true });
  writeFileSync(`test-results/${name}`, png);
  const { channels } = await sharp(png).stats();
  expect(Math.max(...channels.map((c) => c.stdev))).toBeGreaterThan(20);
}

describe('demo page', () => {
  it('camera on a phone: live box and hint, both faces captured by keyboard, result passes the schema and is saved to the platform', async () => {
    const token = await platform.issueToken();
    const query = `?platform=${encodeURIComponent(platform.url)}&token=${token}&channel=MOBILE&reference=e2e-camera`;
    const { page, context, errors } = await openDemo(query, PHONE);
    expect(page.url()).not.toContain('token='); // read, then dropped from the address bar
    expect(await page.textContent('#platform-summary')).toContain(platform.url);

    await page.focus('#camera1');
    await page.keyboard.press('Enter');
    // The live overlay: a box and 68 points drawn over the video, and a hint saying the face is fit.
    await page.waitForSelector('#slot1[data-hint=ok][data-faces="1"]', { timeout: 30_000 });
    expect(await drawnPixels(page, '#slot1 .overlay')).toBeGreaterThan(500);
    expect(await page.textContent('#slot1 .hint')).toMatch(/capture/i);
    expect(await page.$eval('#slot1', (el) => el.classList.contains('mirror'))).toBe(true);
    await page.waitForSelector('#capture1:not([disabled])');
    await page.focus('#capture1');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#slot1[data-mode=still]');

    // The camera moves on to face 2 by itself.
    await page.waitForSelector('#slot2[data-mode=live][data-hint=ok]', { timeout: 30_000 });
    await page.click('#capture2:not([disabled])');
    await page.waitForSelector('#slot2[data-mode=still][data-source=camera]');
    // Retake brings the live camera back (and the face is fit again), then capture once more.
    await page.click('#retake2');
    await page.waitForSelector('#slot2[data-mode=live][data-hint=ok]', { timeout: 30_000 });
    expect(await page.isDisabled('#compare')).toBe(true);
    await page.click('#capture2:not([disabled])');
    await page.waitForSelector('#compare:not([disabled])');
    await page.click('#compare');

    const scan = await result(page);
    expect(scan).toMatchObject({ channel: 'MOBILE', reference: 'e2e-camera', compare_result: 'Same person' });
    expect(scan.compare_similarity).toBeGreaterThan(0.9); // the same frame twice
    expect(await page.textContent('#verdict')).toBe('Same person');
    expect(await page.$$eval('#attributes tbody tr', (rows) => rows.length)).toBe(12);
    expect(await page.textContent('#timings')).toMatch(/detect\s*[\d.,]+ ms/);
    expect(await page.textContent('#backend')).toMatch(/^wasm · \d threads? · SIMD · cross-origin isolated$/);

    // Synced: the platform holds the scan entity (toScanEntity of this result).
    await page.waitForSelector('#sync-status[data-state=saved]', { timeout: 30_000 });
    expect(platform.store.get(scan.id)).toMatchObject({
      id: scan.id, compareResult: 'Same person', compareSimilarity: scan.compare_similarity, salesChannel: 'MOBILE',
    });
    expect(platform.requests).toContain(`PUT /v1/face-recognition/${scan.id}`);

    // Fits a phone: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await saveScreenshot(await page.screenshot({ fullPage: true }), 'demo-camera-phone.png');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('files (picker and drag-and-drop): same and different person, copy JSON, no face, offline badge; screenshot', async () => {
    const { page, context, errors } = await openDemo();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    expect(await page.textContent('#status')).toBe('Add face 1 and face 2 to compare.');
    // The start-up progress bar (createFaceRecognizer's onProgress) ran to its end, then went away.
    expect(await page.$eval('#load-progress', (p) => [(p as HTMLProgressElement).hidden, (p as HTMLProgressElement).value])).toEqual([true, 1]);

    // The platform is configured in the form this time (the camera test uses the query).
    await page.click('#platform summary');
    await page.fill('#platform-url', platform.url);
    await page.fill('#platform-token', await platform.issueToken());
    expect(await page.textContent('#platform-summary')).toBe(`on — ${platform.url}`);

    await page.setInputFiles('#file1', `${DEEPFACE}img1.jpg`);
    await page.waitForSelector('#slot1[data-source="img1.jpg"][data-hint=ok]', { timeout: 30_000 });
    await dropFile(page, '#slot2 .stage', `${DEEPFACE}img2.jpg`);
    await page.waitForSelector('#slot2[data-source="img2.jpg"][data-hint=ok]', { timeout: 30_000 });
    await page.click('#compare');
    const same = await result(page);
    expect(same).toMatchObject({ compare_result: 'Same person', channel: 'WEB', reference: 'demo' });
    await page.waitForSelector('#sync-status[data-state=saved]', { timeout: 30_000 });
    expect(platform.store.get(same.id)).toMatchObject({ compareSimilarity: same.compare_similarity, salesChannel: 'WEB' });

    const png = await page.locator('#result').screenshot();
    await saveScreenshot(png, 'demo-result.png');
    if (process.env.UPDATE_DEMO_SCREENSHOT) {
      // The README's picture: `UPDATE_DEMO_SCREENSHOT=1 npx vitest run test/demo.e2e.test.ts`.
      await sharp(png).resize({ width: 1000 }).png({ palette: true, quality: 90, effort: 10 }).toFile('docs/demo-result.png');
    }

    await page.click('#copy');
    await page.waitForSelector('#copy-status:has-text("Copied")');
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(same);

    await page.setInputFiles('#file2', `${DEEPFACE}img20.jpg`); // another person (deepface pairs: img1,img20 = No)
    await page.waitForSelector('#slot2[data-source="img20.jpg"][data-hint]');
    expect(await page.isHidden('#result')).toBe(true); // a new image hides the old result
    platform.faults.error(403, { method: 'PUT', message: 'Scan is locked' }); // the platform refuses this one
    await page.click('#compare');
    await page.waitForSelector('#result:not([hidden])');
    const different = await result(page);
    expect(different.compare_result).toBe('Different person');
    expect(different.compare_similarity).toBeLessThan(0.7);
    expect(await page.textContent('#verdict')).toBe('Different person');
    // A refused save is shown, with the platform's reason.
    await page.waitForSelector('#sync-status[data-state=failed]', { timeout: 30_000 });
    expect(await page.textContent('#sync-status')).toMatch(/Not saved — HTTP 403: Scan is locked/);
    expect(platform.store.get(different.id)).toBeUndefined();

    // A photo without a face: the slot says so, and the comparison names the image.
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#8a8f99' } }).png().toBuffer();
    await page.setInputFiles('#file2', { name: 'wall.png', mimeType: 'image/png', buffer: blank });
    await page.waitForSelector('#slot2[data-source="wall.png"][data-hint=no-face]');
    await page.click('#compare');
    await page.waitForFunction(() => /NO_FACE/.test(document.getElementById('status')!.textContent ?? ''));
    expect(await page.textContent('#status')).toContain('(face 2)');

    await context.setOffline(true);
    await page.waitForSelector('#network[data-state=offline]');
    expect(await page.textContent('#network')).toBe('Offline');
    await context.setOffline(false);
    await page.waitForSelector('#network[data-state=online]');

    // Every form control has an accessible name.
    const unnamed = await page.$$eval('input, select, button', (els) =>
      els.filter((el) => {
        const c = el as HTMLInputElement;
        return !(c.labels?.length || c.getAttribute('aria-label') || (c.tagName === 'BUTTON' && c.textContent?.trim()));
      }).map((el) => el.outerHTML));
    expect(unnamed).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('kiosk: settings hidden, the camera starts by itself, and the comparison runs once both faces are captured', async () => {
    const { page, context, errors } = await openDemo('?kiosk&reference=desk-7');
    expect(await page.isVisible('#platform')).toBe(false);
    expect(await page.isVisible('#reference')).toBe(false);
    await page.waitForSelector('#slot1[data-mode=live][data-hint=ok]', { timeout: 30_000 });
    await page.click('#capture1:not([disabled])');
    await page.waitForSelector('#slot2[data-mode=live][data-hint=ok]', { timeout: 30_000 });
    await page.click('#capture2:not([disabled])');
    const scan = await result(page);
    expect(scan).toMatchObject({ reference: 'desk-7', compare_result: 'Same person' });
    await page.waitForSelector('#sync-status[data-state=off]'); // no platform: the scan stays on the page
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Drops a file on an element the way a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFile(page: Page, selector: string, path: string) {
  const base64 = readFileSync(path).toString('base64');
  await page.$eval(selector, (target, { base64, name }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type: 'image/jpeg' }));
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { base64, name: path.split('/').pop()! });
}
