/**
 * Liveness cost per face in the browser: the built app (test/e2e harness) in headless Chromium,
 * wasm on one thread, `runs` calls of fr.livenessDetailed over a few NUAA frames after a warm-up.
 */
import { routeData, startE2E } from '../../test/e2e/browser.js';

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;

export async function chromiumCost(frames: string[], runs: number, log: (m: string) => void) {
  log('liveness: building the app for Chromium…');
  process.chdir(new URL('../..', import.meta.url).pathname); // the app build resolves its entries from the repo root
  const e2e = await startE2E();
  try {
    const page = await e2e.browser.newPage();
    await routeData(page, DATA);
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => (window as unknown as { sdkReady?: boolean }).sdkReady === true);
    const r = await page.evaluate(async ({ urls, runs }) => {
      const sdk = (window as any).sdk;
      const fr = await sdk.createFaceRecognizer({ numThreads: 1, backend: 'wasm' });
      const blobs = await Promise.all(urls.map(async (u: string) => (await fetch(u)).blob()));
      await fr.liveness(blobs[0]); // first use: fetch, verify and create the session
      const stage: number[] = [], call: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const d = await fr.livenessDetailed(blobs[i % blobs.length]);
        call.push(performance.now() - t0);
        stage.push(d.timings.liveness);
      }
      await fr.dispose();
      return { stage, call };
    }, { urls: frames.map((f) => `/data/nuaa/images/${f}`), runs });
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    return { per_face_ms_p50: median(r.stage), liveness_call_ms_p50: median(r.call), runs };
  } finally {
    await e2e.close();
  }
}
