/**
 * The demo page in the three engines our users run (Chromium, Firefox ESR, WebKitGTK; test/e2e/engines.ts):
 * the production build, served cross-origin isolated, compares two uploaded photos and shows the
 * platform JSON; every engine gives the same verdict and, within 1e-3, Node's similarity.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareResultSchema } from '../src/contract/result.js';
import { createFaceRecognizer } from '../src/node/index.js';
import { serveBuild, type AppServer } from './e2e/app-server.js';
import { missingEngine, openEngine, type EngineName, poll } from './e2e/engines.js';
import { LFW } from './helpers.js';

const PAIRS = { same: ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'], different: ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Abdullah_Gul/Abdullah_Gul_0013.jpg'] };
let outDir: string;
let server: AppServer;
const node: Record<string, number> = {};

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'fr-demo-engines-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  mkdirSync(join(outDir, 'photos'));
  const fr = await createFaceRecognizer();
  for (const [name, [a, b]] of Object.entries(PAIRS)) {
    for (const p of [a, b]) copyFileSync(`${LFW}${p}`, join(outDir, 'photos', p.split('/')[1]!));
    node[name] = (await fr.compareFaces(`${LFW}${a}`, `${LFW}${b}`)).compare_similarity;
  }
  await fr.dispose();
  server = await serveBuild(outDir);
});
afterAll(async () => {
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});


describe('demo page in every engine', () => {
  for (const engine of ['chromium', 'firefox', 'webkit'] as EngineName[]) {
    const missing = missingEngine(engine);
    it.skipIf(!!missing)(`${engine}: uploads two photos, compares, shows the platform JSON${missing ? ` (${missing})` : ''}`, async () => {
      const page = await openEngine(engine, `${server.url}demo/`);
      try {
        await poll(() => page.evaluate(async () => document.querySelector('#engine')?.getAttribute('data-state') === 'ready', null), 'the models');
        for (const [name, [a, b]] of Object.entries(PAIRS)) {
          await page.evaluate(async (files: string[]) => {
            for (const [i, f] of files.entries()) {
              const blob = await (await fetch(`/photos/${f}`)).blob();
              const dt = new DataTransfer();
              dt.items.add(new File([blob], f, { type: 'image/jpeg' }));
              const input = document.querySelector<HTMLInputElement>(`#file${i + 1}`)!;
              input.files = dt.files;
              input.dispatchEvent(new Event('change', { bubbles: true }));
            }
          }, [a, b].map((p) => p.split('/')[1]!));
          await poll(() => page.evaluate(async () => document.querySelector<HTMLButtonElement>('#compare')?.disabled === false, null), 'the compare button');
          const before = await page.evaluate(async () => document.querySelector('#json')?.textContent ?? '', null);
          await page.evaluate(async () => { document.querySelector<HTMLButtonElement>('#compare')!.click(); }, null);
          await poll(() => page.evaluate(async (prev: string) => {
            const r = document.querySelector<HTMLElement>('#result');
            return !!r && !r.hidden && (document.querySelector('#json')?.textContent ?? '') !== prev;
          }, before), 'the result');
          const scan = CompareResultSchema.parse(JSON.parse(await page.evaluate(async () => document.querySelector('#json')!.textContent!, null)));
          expect(scan.compare_result, `${engine} ${name}`).toBe(name === 'same' ? 'Same person' : 'Different person');
          expect(Math.abs(scan.compare_similarity - node[name]!), `${engine} ${name} vs Node`).toBeLessThan(1e-3);
          const verdict = await page.evaluate(async () => document.querySelector('#verdict')?.textContent ?? '', null);
          expect(verdict).toContain(name === 'same' ? 'Same person' : 'Different person');
          // Back to an empty form for the next pair.
          await page.evaluate(async () => { document.querySelector<HTMLButtonElement>('#again')?.click(); }, null);
        }
      } finally {
        await page.close();
      }
    });
  }
});
