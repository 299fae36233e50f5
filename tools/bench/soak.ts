/**
 * npm run bench -- --soak [--soak-runs N] [--json]
 *
 * Long-run health of the browser recognizer (issue #14): N compares (default 2,000) one after the
 * other on one recognizer, then 50 concurrent calls from the page. Reports the whole-page memory
 * growth (workers and wasm heaps included: performance.measureUserAgentSpecificMemory on the
 * cross-origin-isolated page), the p95 of the first and the last 10 % of the compares, and whether
 * the concurrent calls all settled, in call order, none lost. Figures, never assertions.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startE2E } from '../../test/e2e/browser.js';

const DEEPFACE = new URL('../../../shared/data/deepface/images/', import.meta.url).pathname;

export async function soak(runs: number, json: boolean): Promise<void> {
  const log = (m: string) => { if (!json) process.stderr.write(`${m}\n`); };
  // The repo root: the build and the e2e harness paths are relative to it.
  process.chdir(new URL('../../', import.meta.url).pathname);
  log('soak: npm run build…');
  await promisify(execFile)('npm', ['run', 'build'], { maxBuffer: 1 << 26 });
  const photo = async (f: string) => [...(await sharp(`${DEEPFACE}${f}`).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer())];
  const [a, b] = [await photo('img1.jpg'), await photo('img2.jpg')];
  const e2e = await startE2E();
  try {
    const page = await e2e.browser.newPage();
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => (window as any).sdkReady === true);
    log(`soak: ${runs} compares, then 50 concurrent calls…`);
    const r = await page.evaluate(async ({ a, b, runs }) => {
      const fa = new Blob([new Uint8Array(a)], { type: 'image/jpeg' });
      const fb = new Blob([new Uint8Array(b)], { type: 'image/jpeg' });
      const fr = await (window as any).sdk.createFaceRecognizer();
      // No named functions in here: tsx's keepNames would wrap them in a helper the page lacks.
      const perf = performance as any;
      for (let i = 0; i < 20; i++) await fr.compareFaces(fa, fb); // warm: sessions, caches, JIT
      const before = perf.measureUserAgentSpecificMemory ? (await perf.measureUserAgentSpecificMemory()).bytes : NaN;
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await fr.compareFaces(fa, fb);
        ms.push(performance.now() - t);
      }
      const after = perf.measureUserAgentSpecificMemory ? (await perf.measureUserAgentSpecificMemory()).bytes : NaN;
      const order: number[] = [];
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? fr.analyze(fa) : fr.compareFaces(fa, fb)).then(() => { order.push(i); return 'ok'; }, (e: any) => { order.push(i); return e.code; })));
      const stats = fr.stats();
      const info = fr.info();
      await fr.dispose();
      return { ms, before, after, order, outcomes, stats, threads: info.threads, backend: info.backend };
    }, { a, b, runs });
    const p95 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
    const tenth = Math.max(1, Math.floor(runs / 10));
    const start = p95(r.ms.slice(0, tenth)), end = p95(r.ms.slice(-tenth));
    const report = {
      backend: `${r.backend}-${r.threads}t`,
      compares: runs,
      heap_before_bytes: r.before,
      heap_after_bytes: r.after,
      heap_growth_pct: +(((r.after - r.before) / r.before) * 100).toFixed(2),
      p95_start_ms: +start.toFixed(1),
      p95_end_ms: +end.toFixed(1),
      p95_change_pct: +(((end - start) / start) * 100).toFixed(1),
      concurrent_calls: r.outcomes.length,
      concurrent_ok: r.outcomes.filter((o) => o === 'ok').length,
      concurrent_in_order: r.order.every((v, i) => v === i),
      calls_pending_after: r.stats.pending,
    };
    if (json) console.log(JSON.stringify(report));
    else for (const [k, v] of Object.entries(report)) console.log(`${k}: ${v}`);
  } finally {
    await e2e.close();
  }
}
