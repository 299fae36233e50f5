/**
 * npm run bench [-- --json] [-- --runs N] [-- --heap-runs N] [-- --no-webgpu]
 *
 * The built package (a Vite build, its Web Worker) in headless Chromium on a cross-origin-isolated
 * page, per backend (wasm-1t, wasm-mt, webgpu when an adapter exists), on real photos resized to
 * 640x480 and 1920x1080; plus the same pipeline in Node. Prints a table, or one JSON object.
 * Figures are medians in ms unless the key says otherwise.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { MODELS, MODEL_NAMES } from '../src/manifest.js';
import { createFaceRecognizer } from '../src/node.js';
import { CHROMIUM_ARGS, startE2E } from '../test/e2e/browser.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    runs: { type: 'string', default: '20' },
    'heap-runs': { type: 'string', default: '500' },
    'no-webgpu': { type: 'boolean' },
  },
});
const RUNS = Number(values.runs);
const HEAP_RUNS = Number(values['heap-runs']);
const log = (m: string) => { if (!values.json) process.stderr.write(`${m}\n`); };

// Real photos of one person (deepface set, MIT), resized (cover crop), never padded.
const DEEPFACE = new URL('../../shared/data/deepface/images/', import.meta.url).pathname;
async function photo(file: string, w: number, h: number): Promise<Buffer> {
  return sharp(DEEPFACE + file).resize(w, h, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
}
const IMAGES: Record<string, Buffer> = {
  'a640.jpg': await photo('img2.jpg', 640, 480),
  'b640.jpg': await photo('img4.jpg', 640, 480),
  'a1080.jpg': await photo('img2.jpg', 1920, 1080),
  'b1080.jpg': await photo('img4.jpg', 1920, 1080),
};
const FRAME = await sharp(IMAGES['a640.jpg']).ensureAlpha().raw().toBuffer();

async function serveImages(page: Page) {
  await page.route('**/bench/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()!;
    route.fulfill({ body: IMAGES[name], contentType: 'image/jpeg' });
  });
  await page.route('**/bench-frame.rgba', (route) => route.fulfill({ body: FRAME, contentType: 'application/octet-stream' }));
}

interface BackendSpec { name: string; options: Record<string, unknown>; args?: string[] }

interface PageResult {
  coldStart: number;
  info: {
    threads: number;
    models: Record<string, string>;
    executionProviders: Record<string, string>;
    fallbackReason?: string;
    startup: Record<string, number>;
  };
  c640: { ms: number; timings: Record<string, number> }[];
  c1080: { ms: number; timings: Record<string, number> }[];
  frames: { ms: number; timings: Record<string, number> }[];
  before: number;
  after: number;
}

// The in-page routine is plain JS sent as text, so no bundler helper can leak into it.
const PAGE_BENCH = readFileSync(new URL('./bench-page.js', import.meta.url), 'utf8').replace(/^\/\/.*\n/gm, '').trim();

/** SwiftShader WebGPU takes seconds per compare: 5 timed runs and 10 for the memory check. */
const heapRunsFor = (spec: BackendSpec) => (spec.name === 'webgpu' ? Math.min(HEAP_RUNS, 10) : HEAP_RUNS);
const runsFor = (spec: BackendSpec) => (spec.name === 'webgpu' ? Math.min(RUNS, 5) : RUNS);

function pageBench(page: Page, spec: BackendSpec): Promise<PageResult> {
  const args = { options: spec.options, runs: runsFor(spec), heapRuns: heapRunsFor(spec) };
  return page.evaluate(`(${PAGE_BENCH})(${JSON.stringify(args)})`) as Promise<PageResult>;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)];
const r1 = (v: number) => Math.round(v * 10) / 10;

function summarise(r: PageResult, spec: BackendSpec) {
  const stage = (k: string) => r1(median(r.c640.map((s) => s.timings[k])));
  const usedModels = MODEL_NAMES.filter((n) => n in r.info.models);
  return {
    cold_start: Math.round(r.coldStart),
    compare_640_p50: r1(median(r.c640.map((s) => s.ms))),
    compare_640_p95: r1(p95(r.c640.map((s) => s.ms))),
    compare_1080_p50: r1(median(r.c1080.map((s) => s.ms))),
    analyze_frame_p50: r1(median(r.frames.map((s) => s.ms))),
    decode: stage('decode'),
    detect: stage('detect'),
    landmarks: stage('landmarks'),
    align: stage('align'),
    embed: stage('embed'),
    attributes: stage('attributes'),
    heap_growth_pct: r1(((r.after - r.before) / r.before) * 100),
    heap_runs: heapRunsFor(spec),
    models_bytes: usedModels.reduce((s, n) => s + MODELS[n].bytes, 0),
    threads: r.info.threads,
    startup: r.info.startup,
    execution_providers: r.info.executionProviders,
    ...(r.info.fallbackReason ? { fallback_reason: r.info.fallbackReason } : {}),
  };
}

async function benchNode() {
  const fr = await createFaceRecognizer();
  const [a, b] = [IMAGES['a640.jpg'], IMAGES['b640.jpg']];
  await fr.compareFaces(a, b);
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fr.compareFaces(a, b);
    t.push(performance.now() - s);
  }
  await fr.dispose();
  return r1(median(t));
}

const cores = cpus().length;
const backends: BackendSpec[] = [
  { name: 'wasm-1t', options: { backend: 'wasm', numThreads: 1 } },
  { name: 'wasm-mt', options: { backend: 'wasm', numThreads: cores } },
];
if (!values['no-webgpu']) {
  backends.push({
    name: 'webgpu',
    options: { backend: 'webgpu' },
    args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'],
  });
}

const e2e = await startE2E();
const report: { machine: string; runs: number; backend: Record<string, unknown>; node_compare_640_p50?: number } = {
  machine: `${cores} cores, ${cpus()[0]?.model ?? 'cpu'}, Chromium headless, Node ${process.version}`,
  runs: RUNS,
  backend: {},
};
try {
  for (const spec of backends) {
    log(`bench: ${spec.name}…`);
    const browser = spec.args
      ? await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), ...spec.args] })
      : e2e.browser;
    try {
      const page = await browser.newPage();
      await serveImages(page);
      await page.goto(`${e2e.url}test/e2e/harness.html`);
      await page.waitForFunction(() => (window as any).sdkReady === true);
      const hasAdapter = spec.name !== 'webgpu' || (await page.evaluate(async () => !!(await (navigator as any).gpu?.requestAdapter())));
      if (!hasAdapter) {
        report.backend[spec.name] = { skipped: 'no WebGPU adapter' };
        continue;
      }
      const s = summarise(await pageBench(page, spec), spec);
      // A WebGPU run that fell back to wasm is not a WebGPU figure.
      report.backend[spec.name] = spec.name === 'webgpu' && 'fallback_reason' in s ? { skipped: s.fallback_reason } : s;
      await page.close();
    } finally {
      if (browser !== e2e.browser) await browser.close();
    }
  }
} finally {
  await e2e.close();
}
log('bench: node…');
report.node_compare_640_p50 = await benchNode();

if (values.json) {
  console.log(JSON.stringify(report));
} else {
  const names = Object.keys(report.backend);
  const rows = new Set(names.flatMap((n) => Object.keys(report.backend[n] as object)));
  console.log(`${report.machine}; ${RUNS} runs; ms unless noted`);
  console.log(['', ...names].map((c) => c.padEnd(20)).join(''));
  for (const k of rows) {
    if (k === 'execution_providers' || k === 'startup') continue;
    console.log([k, ...names.map((n) => String((report.backend[n] as Record<string, unknown>)[k] ?? ''))].map((c) => c.padEnd(20)).join(''));
  }
  for (const n of names) {
    const st = (report.backend[n] as { startup?: Record<string, number> }).startup;
    if (st) console.log(`${n} start-up: ${Object.entries(st).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  }
  console.log(`node_compare_640_p50: ${report.node_compare_640_p50}`);
}
