/**
 * npm run bench [-- --json] [-- --runs N]
 * Per-stage medians of compareFaces on a real LFW pair, in Node (in-process, onnxruntime-web wasm)
 * and in Chromium (the built package in its Web Worker, cross-origin isolated, wasm threads).
 */
import { parseArgs } from 'node:util';
import { createFaceRecognizer } from '../src/node.js';
import type { StageTimings } from '../src/timing.js';
import { routeData, startE2E } from '../test/e2e/browser.js';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, runs: { type: 'string', default: '20' }, threads: { type: 'string' } } });
const threads = values.threads ? Number(values.threads) : undefined;
const runs = Number(values.runs);
const DATA = new URL('../../shared/data/', import.meta.url).pathname;
const PAIR = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'];
const STAGES = ['decode', 'detect', 'landmarks', 'align', 'embed', 'attributes'] as const;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))];

function summarise(samples: { total: number; timings: StageTimings }[]) {
  const out: Record<string, number> = {
    compare_p50: median(samples.map((s) => s.total)),
    compare_p95: pct(samples.map((s) => s.total), 0.95),
  };
  for (const k of STAGES) out[k] = median(samples.map((s) => s.timings[k]));
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}

async function benchNode() {
  const t0 = performance.now();
  const fr = await createFaceRecognizer();
  const a = `${DATA}lfw-view1/images/${PAIR[0]}`, b = `${DATA}lfw-view1/images/${PAIR[1]}`;
  await fr.compareDetailed(a, b);
  const cold = performance.now() - t0;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const { timings } = await fr.compareDetailed(a, b);
    samples.push({ total: performance.now() - t, timings });
  }
  await fr.dispose();
  return { cold_start: Math.round(cold), ...summarise(samples) };
}

async function benchChromium() {
  const e2e = await startE2E();
  try {
    const page = await e2e.browser.newPage();
    await routeData(page, DATA);
    await page.goto(`${e2e.url}test/e2e/harness.html`);
    await page.waitForFunction(() => (window as any).sdkReady === true);
    return await page.evaluate(async ({ pair, runs, threads }) => {
      const t0 = performance.now();
      const fr = await (window as any).sdk.createFaceRecognizer(threads ? { numThreads: threads } : {});
      const [a, b] = await Promise.all(pair.map(async (p: string) => (await fetch(`/data/lfw-view1/images/${p}`)).blob()));
      await fr.compareFaces(a, b);
      const cold = performance.now() - t0;
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await fr.compareFaces(a, b);
        samples.push({ total: performance.now() - t, timings: fr.last.timings });
      }
      const info = fr.info();
      await fr.dispose();
      return { cold, samples, threads: info.threads };
    }, { pair: PAIR, runs, threads });
  } finally {
    await e2e.close();
  }
}

const node = await benchNode();
const chrome = await benchChromium();
const report = {
  machine: `${(await import('node:os')).cpus().length} cores, Node ${process.version}`,
  runs,
  node,
  [`chromium_wasm_${chrome.threads}t`]: { cold_start: Math.round(chrome.cold), ...summarise(chrome.samples) },
};
if (values.json) {
  console.log(JSON.stringify(report));
} else {
  console.log(`compareFaces on one 250x250 LFW pair, ${runs} runs, ${report.machine}; medians in ms`);
  const rows = Object.entries(report).filter(([, v]) => typeof v === 'object') as [string, Record<string, number>][];
  const keys = Object.keys(rows[0][1]);
  console.log(['', ...rows.map(([k]) => k)].map((c) => c.padEnd(18)).join(''));
  for (const k of keys) console.log([k, ...rows.map(([, v]) => String(v[k]))].map((c) => c.padEnd(18)).join(''));
}
