/** The demo page in Debian's Chromium, built with Vite and served with COOP/COEP. */
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareResultSchema } from '../src/schema.js';
import { startE2E, type E2E } from './e2e/browser.js';
import { LFW } from './helpers.js';

let e2e: E2E;
beforeAll(async () => { e2e = await startE2E(); }, 240_000);
afterAll(async () => { await e2e?.close(); });

const SAME = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'];

describe('demo page', () => {
  it('compares two uploaded photos in the worker; the result passes the schema; screenshot is not blank', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.url}demo/`);
    await page.waitForFunction(() => !(document.getElementById('compare') as HTMLButtonElement).disabled, null, { timeout: 90_000 });
    expect(await page.textContent('#status')).toMatch(/Ready: wasm, \d thread\(s\)$/);
    await page.setInputFiles('#file1', LFW + SAME[0]);
    await page.setInputFiles('#file2', LFW + SAME[1]);
    await page.fill('#reference', 'e2e-1');
    await page.click('#compare');
    await page.waitForSelector('#result:not([hidden])', { timeout: 90_000 });
    const scan = CompareResultSchema.parse(JSON.parse((await page.textContent('#json'))!));
    expect(scan.compare_result).toBe('Same person');
    expect(scan.reference).toBe('e2e-1');
    expect(await page.textContent('#verdict')).toContain('Same person');
    mkdirSync('test-results', { recursive: true });
    const png = await page.screenshot({ path: 'test-results/demo-result.png', fullPage: true });
    const { channels } = await sharp(png).stats();
    // A rendered result has photos and text: far from one flat colour.
    expect(Math.max(...channels.map((c) => c.stdev))).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    await page.close();
  });
});

