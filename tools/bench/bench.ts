/**
 * npm run bench [-- --json] [-- --runs N] [-- --heap-runs N] [-- --no-webgpu] [-- --batch-pairs N]
 *   [-- --only wasm-1t|wasm-mt|webgpu] [-- --no-startup] [-- --startup-visits N] [-- --no-node]
 *   [-- --throttled-only] (only cold_start_first_throttled, SDK and floor, per wasm backend)
 * npm run bench -- --soak [--soak-runs N]: 2,000 compares + 50 concurrent calls, memory and p95 drift (soak.ts)
 *
 * The built package (a Vite build, its Web Worker) in headless Chromium on a cross-origin-isolated
 * page, per backend (wasm-1t, wasm-mt, webgpu when an adapter exists), on real photos resized to
 * 640x480 and 1920x1080, beside the floor (page/floor-worker.ts: the same models straight on
 * onnxruntime-web, same threads, same page); start-up on a fresh and on a reused browser profile;
 * plus the same pipeline in Node, per ONNX runtime, and `cli batch` on LFW View 1 test.
 * Prints a table, or one JSON object. Figures are medians in ms unless the key says otherwise.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { MODELS, STARTUP_MODEL_NAMES } from 'face-compare-sdk/internal';
import { createFaceRecognizer } from 'face-compare-sdk/internal';
import { CHROMIUM_ARGS, startE2E } from '../../test/e2e/browser.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    runs: { type: 'string', default: '20' },
    'heap-runs': { type: 'string', default: '500' },
    'no-webgpu': { type: 'boolean' },
    'batch-pairs': { type: 'string' },
    'no-startup': { type: 'boolean' },
    'startup-visits': { type: 'string', default: '3' },
    'no-node': { type: 'boolean' },
    'throttled-only': { type: 'boolean' },
    only: { type: 'string' },
    soak: { type: 'boolean' },
    'soak-runs': { type: 'string', default: '2000' },
  },
});
const RUNS = Number(values.runs);
const HEAP_RUNS = Number(values['heap-runs']);
const log = (m: string) => { if (!values.json) process.stderr.write(`${m}\n`); };
if (values.soak) {
  // --soak: the long-run health figures instead of the speed table (soak.ts).
  await (await import('./soak.js')).soak(Number(values['soak-runs']), values.json === true);
  process.exit(0);
}

// Real photos of one person (deepface set, MIT), resized (cover crop), never padded.
const DEEPFACE = new URL('../../../shared/data/deepface/images/', import.meta.url).pathname;
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

/**
 * The photos go into the build's folder, served like every other file: Playwright's request
 * routing would switch the HTTP cache off, and the repeat-visit start-up needs it.
 */
function writeImages(outDir: string) {
  mkdirSync(join(outDir, 'bench'), { recursive: true });
  for (const [name, body] of Object.entries(IMAGES)) writeFileSync(join(outDir, 'bench', name), body);
  writeFileSync(join(outDir, 'bench', 'frame.rgba'), FRAME);
}
const BENCH_PAGE = 'tools/bench/page/bench.html';

interface BackendSpec { name: string; options: Record<string, unknown>; args?: string[]; floor?: boolean }

type Runs = { ms: number; timings: Record<string, number> }[];

interface PageResult {
  coldStart: number;
  info: {
    threads: number;
    models: Record<string, string>;
    executionProviders: Record<string, string>;
    fallbackReason?: string;
    startup: Record<string, number>;
  };
  c640: Runs;
  c1080: Runs;
  frames: Runs;
  captureFrames: Runs;
  before: number;
  after: number;
  sdkCosine: number;
  floor?: { coldStart: number; init: { import: number; runtime: number; sessions: Record<string, number> }; c640: Runs; c1080: Runs; cosine: number };
}

// The in-page routine is plain JS sent as text, so no bundler helper can leak into it.
const PAGE_BENCH = readFileSync(new URL('./bench-page.js', import.meta.url), 'utf8').replace(/^\/\/.*\n/gm, '').trim();

/** SwiftShader WebGPU takes seconds per compare: 5 timed runs and 10 for the memory check. */
const heapRunsFor = (spec: BackendSpec) => (spec.name === 'webgpu' ? Math.min(HEAP_RUNS, 10) : HEAP_RUNS);
const runsFor = (spec: BackendSpec) => (spec.name === 'webgpu' ? Math.min(RUNS, 5) : RUNS);

function pageBench(page: Page, spec: BackendSpec): Promise<PageResult> {
  const args = { options: spec.options, runs: runsFor(spec), heapRuns: heapRunsFor(spec), floor: !!spec.floor };
  return withTimeout(page.evaluate(`(${PAGE_BENCH})(${JSON.stringify(args)})`) as Promise<PageResult>, 30 * 60_000, `${spec.name} page bench`);
}

/** A hung page fails the bench with its name instead of stalling it. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms); })]).finally(() => clearTimeout(timer));
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)];
const r1 = (v: number) => Math.round(v * 10) / 10;

function summarise(r: PageResult, spec: BackendSpec) {
  const stage = (k: string) => r1(median(r.c640.map((s) => s.timings[k])));
  const usedModels = STARTUP_MODEL_NAMES.filter((n) => n in r.info.models);
  return {
    cold_start: Math.round(r.coldStart),
    compare_640_p50: r1(median(r.c640.map((s) => s.ms))),
    compare_640_p95: r1(p95(r.c640.map((s) => s.ms))),
    compare_1080_p50: r1(median(r.c1080.map((s) => s.ms))),
    analyze_frame_p50: r1(median(r.frames.map((s) => s.ms))),
    // Frames a 640x480 camera loop analyses per second with liveness on (analyzeDetailed(frame, { liveness: true }) back to back).
    capture_fps: r1(1000 / median(r.captureFrames.map((s) => s.ms))),
    compare_1080_stages: Object.fromEntries(['decode', 'detect', 'landmarks', 'align', 'embed', 'attributes'].map((k) => [k, r1(median(r.c1080.map((s) => s.timings[k])))])),
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
    ...(r.floor ? floorSummary(r) : {}),
  };
}

/** The floor's figures and SDK ÷ floor, from the same page and the same run. */
function floorSummary(r: PageResult) {
  const f = r.floor!;
  const p50 = (runs: Runs) => median(runs.map((s) => s.ms));
  const stage = (k: string) => r1(median(f.c640.map((s) => s.timings[k] ?? 0)));
  return {
    floor: {
      cold_start: Math.round(f.coldStart),
      compare_640_p50: r1(p50(f.c640)),
      compare_1080_p50: r1(p50(f.c1080)),
      decode: stage('decode'),
      detect: stage('detect'),
      landmarks: stage('landmarks'),
      embed: stage('embed'),
      compare_1080_stages: Object.fromEntries(['decode', 'detect', 'landmarks', 'embed'].map((k) => [k, r1(median(f.c1080.map((s) => s.timings[k] ?? 0)))])),
      startup: { import: r1(f.init.import), runtime: r1(f.init.runtime), ...Object.fromEntries(Object.entries(f.init.sessions).map(([k, v]) => [k, r1(v)])) },
      // Not the SDK's pipeline (one landmark pass, stretched detector input): a sanity figure, not a parity one.
      cosine_640: Math.round(f.cosine * 1e4) / 1e4,
    },
    sdk_cosine_640: Math.round(r.sdkCosine * 1e4) / 1e4,
    compare_640_ratio: Math.round((p50(r.c640) / p50(f.c640)) * 100) / 100,
    compare_1080_ratio: Math.round((p50(r.c1080) / p50(f.c1080)) * 100) / 100,
    cold_start_ratio: Math.round((r.coldStart / f.coldStart) * 100) / 100,
  };
}

/**
 * Start-up from navigation start to the first compare done, on a fresh browser profile (empty
 * HTTP cache, Cache Storage and code cache), then on the same profile after a reload. The page is
 * left open a while before the reload: Chromium writes a wasm module's compiled code to its cache
 * only once the optimised tier is done.
 */
async function startupVisits(url: string, which: 'sdk' | 'floor', threads: number, args: string[] = []) {
  const profile = mkdtempSync(join(tmpdir(), 'fr-bench-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    // Which .wasm files a visit asks for (the WebGPU build's must never be among them on wasm).
    let wasm: string[] = [];
    ctx.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop()!); });
    const visit = async () => {
      await page.waitForFunction(() => (window as any).startupRun !== undefined, undefined, { timeout: 120_000 });
      const r = (await withTimeout(page.evaluate(() => (window as any).startupRun), 300_000, `${which} start-up`)) as { script: number; ready: number; done: number; split: Record<string, number>; error?: string };
      if (r.error) throw new Error(`start-up run (${which}) failed: ${r.error}`);
      const fetched = [...new Set(wasm)];
      wasm = [];
      return { total: Math.round(r.done), script: Math.round(r.script), ready: Math.round(r.ready), ...Object.fromEntries(Object.entries(r.split).map(([k, v]) => [k, Math.round(v)])), wasm_requested: fetched.join(' ') };
    };
    await page.goto(`${url}${BENCH_PAGE}?start=${which}&threads=${threads}`);
    const first = await visit();
    await page.waitForTimeout(STARTUP_SETTLE_MS);
    await page.reload();
    const repeat = await visit();
    return { first, repeat };
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
const STARTUP_SETTLE_MS = 8000;

/**
 * The first visit on a real link: a fresh profile whose network is a 20 Mbit/s, 40 ms round-trip
 * line (the DevTools protocol's Network.emulateNetworkConditions, on the page and on each worker it
 * starts), navigation to the first compare done, with the bytes that crossed the line (encoded body
 * sizes, as the server sent them) and the time the largest download took.
 */
const THROTTLE = { offline: false, latency: 40, downloadThroughput: (20e6 / 8), uploadThroughput: (20e6 / 8) };
async function throttledFirstVisit(url: string, which: 'sdk' | 'floor', threads: number) {
  const profile = mkdtempSync(join(tmpdir(), 'fr-bench-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    const requests: import('playwright-core').Request[] = [];
    ctx.on('request', (r) => requests.push(r));
    await page.goto(`${url}${BENCH_PAGE}?start=${which}&threads=${threads}`);
    await page.waitForFunction(() => (window as any).startupRun !== undefined, undefined, { timeout: 120_000 });
    const r = (await withTimeout(page.evaluate(() => (window as any).startupRun), 600_000, `${which} throttled start-up`)) as { done: number; error?: string };
    if (r.error) throw new Error(`throttled start-up run (${which}) failed: ${r.error}`);
    const sizes = await Promise.all(requests.map(async (q) => {
      const res = await q.response().catch(() => null);
      const size = res ? await q.sizes().catch(() => null) : null;
      return { url: q.url(), body: size?.responseBodySize ?? 0, headers: size?.responseHeadersSize ?? 0, encoding: (await res?.allHeaders().catch(() => ({} as Record<string, string>)))?.['content-encoding'] ?? 'identity', ms: q.timing().responseEnd };
    }));
    const bytes = sizes.reduce((s, x) => s + x.body + x.headers, 0);
    const wasm = sizes.find((x) => x.url.endsWith('.wasm'));
    return { total: Math.round(r.done), bytes, requests: sizes.length, wasm_bytes: wasm?.body ?? 0, wasm_encoding: wasm?.encoding ?? '', wasm_ms: Math.round(wasm?.ms ?? 0) };
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** cold_start_first_throttled: one fresh profile each for the SDK and the floor, in turn. */
async function throttledSummary(url: string, threads: number) {
  const sdk = await throttledFirstVisit(url, 'sdk', threads);
  const floor = await throttledFirstVisit(url, 'floor', threads);
  return {
    cold_start_first_throttled: sdk.total,
    cold_start_first_throttled_bytes: sdk.bytes,
    floor_cold_start_first_throttled: floor.total,
    floor_cold_start_first_throttled_bytes: floor.bytes,
    cold_start_first_throttled_ratio: Math.round((sdk.total / floor.total) * 100) / 100,
    cold_start_first_throttled_split: sdk,
    floor_cold_start_first_throttled_split: floor,
  };
}

type Visits = Awaited<ReturnType<typeof startupVisits>>;
/** The median first visit and the median repeat visit (by total) of several profiles. */
function medianVisits(all: Visits[]): Visits & { totals: { first: number[]; repeat: number[] } } {
  const mid = <T extends { total: number }>(v: T[]) => [...v].sort((a, b) => a.total - b.total)[(v.length - 1) >> 1];
  return { first: mid(all.map((v) => v.first)), repeat: mid(all.map((v) => v.repeat)), totals: { first: all.map((v) => v.first.total), repeat: all.map((v) => v.repeat.total) } };
}

function startupSummary(sdk: ReturnType<typeof medianVisits>, floor: ReturnType<typeof medianVisits>) {
  return {
    cold_start_first: sdk.first.total,
    cold_start_repeat: sdk.repeat.total,
    cold_start_visits: sdk.totals,
    floor_cold_start_visits: floor.totals,
    cold_start_repeat_share: Math.round((sdk.repeat.total / sdk.first.total) * 100) / 100,
    cold_start_first_split: sdk.first,
    cold_start_repeat_split: sdk.repeat,
    floor_cold_start_first: floor.first.total,
    floor_cold_start_repeat: floor.repeat.total,
    floor_cold_start_first_split: floor.first,
    floor_cold_start_repeat_split: floor.repeat,
    cold_start_first_ratio: Math.round((sdk.first.total / floor.first.total) * 100) / 100,
    cold_start_repeat_ratio: Math.round((sdk.repeat.total / floor.repeat.total) * 100) / 100,
  };
}

async function benchNode(runtime: 'onnxruntime-web' | 'onnxruntime-node') {
  const fr = await createFaceRecognizer({ runtime });
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

/**
 * `cli batch` on LFW View 1 test as a user runs it (a child process, start-up included): today's
 * way (one process, onnxruntime-web, one thread) and the default (a worker per core, the native
 * runtime when installed). Their cosines must agree.
 */
const LFW_TEST = new URL('../../../shared/data/lfw-view1/pairs_test.csv', import.meta.url).pathname;
const CLI = new URL('../../src/node/cli.ts', import.meta.url).pathname;
async function benchBatch(limit?: number) {
  let csv = LFW_TEST;
  if (limit) {
    const lines = readFileSync(LFW_TEST, 'utf8').trim().split('\n');
    csv = join(mkdtempSync(join(tmpdir(), 'fr-bench-pairs-')), 'pairs.csv');
    writeFileSync(csv, lines.slice(0, limit + 1).join('\n') + '\n');
  }
  const root = join(LFW_TEST, '..', 'images');
  const run = async (extra: string[]) => {
    const s = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, 'batch', csv, '--root', root, ...extra], { maxBuffer: 1 << 26 });
    const ms = performance.now() - s;
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as { cosine?: number });
    return { ms, rows };
  };
  const before = await run(['--workers', '1', '--runtime', 'onnxruntime-web']);
  const after = await run([]);
  const diff = Math.max(...before.rows.map((r, i) => (r.cosine === undefined ? 0 : Math.abs(r.cosine - (after.rows[i].cosine ?? NaN)))));
  const n = before.rows.length;
  return {
    node_batch_pairs: n,
    node_batch_pairs_per_s: r1(n / (after.ms / 1000)),
    node_batch_pairs_per_s_before: r1(n / (before.ms / 1000)),
    node_batch_speedup: Math.round((before.ms / after.ms) * 100) / 100,
    node_batch_max_cosine_diff: diff,
  };
}

const cores = cpus().length;
const backends: BackendSpec[] = [
  { name: 'wasm-1t', options: { backend: 'wasm', numThreads: 1 }, floor: true },
  { name: 'wasm-mt', options: { backend: 'wasm', numThreads: cores }, floor: true },
];
if (!values['no-webgpu']) {
  backends.push({
    name: 'webgpu',
    options: { backend: 'webgpu' },
    args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'],
  });
}

// npm runs this in tools/; the Vite builds (vite.config.ts, its page paths) are the repo root's.
process.chdir(new URL('../..', import.meta.url).pathname);
// The page imports the built package (dist/): build it from this tree, never bench a stale one.
log('bench: npm run build…');
await promisify(execFile)('npm', ['run', 'build'], { maxBuffer: 1 << 26 });
const e2e = await startE2E({ inputs: { bench: BENCH_PAGE } });
writeImages(e2e.outDir);
const report: { machine: string; runs: number; backend: Record<string, unknown> } & Record<string, unknown> = {
  machine: `${cores} cores, ${cpus()[0]?.model ?? 'cpu'}, Chromium headless, Node ${process.version}`,
  runs: RUNS,
  backend: {},
};
try {
  for (const spec of backends) {
    if (values.only && spec.name !== values.only) continue;
    log(`bench: ${spec.name}…`);
    const browser = spec.args
      ? await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), ...spec.args] })
      : e2e.browser;
    try {
      if (values['throttled-only']) {
        if (!spec.floor) continue;
        log(`bench: ${spec.name} first visit on a throttled link (20 Mbit/s, 40 ms)…`);
        report.backend[spec.name] = await throttledSummary(e2e.url, Number(spec.options.numThreads));
        continue;
      }
      const page = await browser.newPage();
      if (process.env.BENCH_DEBUG) page.on('console', (m) => log(`page: ${m.text()}`));
      await page.goto(`${e2e.url}${BENCH_PAGE}`);
      await page.waitForFunction(() => (window as any).benchReady === true);
      const hasAdapter = spec.name !== 'webgpu' || (await page.evaluate(async () => !!(await (navigator as any).gpu?.requestAdapter())));
      if (!hasAdapter) {
        report.backend[spec.name] = { skipped: 'no WebGPU adapter' };
        continue;
      }
      const s = summarise(await pageBench(page, spec), spec);
      // A WebGPU run that fell back to wasm is not a WebGPU figure.
      report.backend[spec.name] = spec.name === 'webgpu' && 'fallback_reason' in s ? { skipped: s.fallback_reason } : s;
      await page.close();
      if (spec.floor && !values['no-startup']) {
        log(`bench: ${spec.name} start-up, first and repeat visit…`);
        const threads = Number(spec.options.numThreads);
        // Several fresh profiles, SDK and floor in turn; each figure is the median visit (one visit
        // swings by 1.5x here), its split that visit's.
        const sdkVisits: Visits[] = [], floorVisits: Visits[] = [];
        for (let i = 0; i < Number(values['startup-visits']); i++) {
          sdkVisits.push(await startupVisits(e2e.url, 'sdk', threads));
          floorVisits.push(await startupVisits(e2e.url, 'floor', threads));
        }
        Object.assign(report.backend[spec.name] as object, startupSummary(medianVisits(sdkVisits), medianVisits(floorVisits)));
        log(`bench: ${spec.name} first visit on a throttled link (20 Mbit/s, 40 ms)…`);
        Object.assign(report.backend[spec.name] as object, await throttledSummary(e2e.url, threads));
      }
    } finally {
      if (browser !== e2e.browser) await browser.close();
    }
  }
} finally {
  await e2e.close();
}
if (!values['no-node']) {
  log('bench: node…');
  // node_compare_640_p50 stays one number (the default runtime's); per runtime beside it.
  const byRuntime: Record<string, number> = { 'onnxruntime-web': await benchNode('onnxruntime-web') };
  try {
    byRuntime['onnxruntime-node'] = await benchNode('onnxruntime-node');
  } catch (e) {
    log(`bench: onnxruntime-node not measured: ${(e as Error).message}`);
  }
  report.node_runtime = 'onnxruntime-node' in byRuntime ? 'onnxruntime-node' : 'onnxruntime-web';
  report.node_compare_640_p50 = byRuntime[report.node_runtime as string];
  report.node_compare_640_p50_by_runtime = byRuntime;
  log('bench: node batch (LFW View 1 test)…');
  Object.assign(report, await benchBatch(values['batch-pairs'] ? Number(values['batch-pairs']) : undefined));
}

if (values.json) {
  console.log(JSON.stringify(report));
} else {
  const names = Object.keys(report.backend);
  const rows = new Set(names.flatMap((n) => Object.keys(report.backend[n] as object)));
  console.log(`${report.machine}; ${RUNS} runs; ms unless noted`);
  console.log(['', ...names].map((c) => c.padEnd(20)).join(''));
  const objects = new Set<string>();
  for (const k of rows) {
    if (names.some((n) => typeof (report.backend[n] as Record<string, unknown>)[k] === 'object')) {
      objects.add(k);
      continue;
    }
    console.log([k, ...names.map((n) => String((report.backend[n] as Record<string, unknown>)[k] ?? ''))].map((c) => c.padEnd(20)).join(''));
  }
  const flat = (o: Record<string, unknown>): string => Object.entries(o).map(([k, v]) => (typeof v === 'object' && v ? `${k} {${flat(v as Record<string, unknown>)}}` : `${k} ${v}`)).join(', ');
  for (const n of names) {
    for (const k of objects) {
      const v = (report.backend[n] as Record<string, unknown>)[k];
      if (v && k !== 'execution_providers') console.log(`${n} ${k}: ${flat(v as Record<string, unknown>)}`);
    }
  }
  for (const [k, v] of Object.entries(report)) {
    if (!['machine', 'runs', 'backend'].includes(k)) console.log(`${k}: ${typeof v === 'object' ? flat(v as Record<string, unknown>) : v}`);
  }
}
