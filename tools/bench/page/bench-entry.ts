/// <reference types="vite/client" />
/**
 * The benchmark page: the built package's browser entry as window.sdk (dist/, what an app imports as
 * `face-compare-sdk`, bundled by Vite as an app's build would; by path, since the package name
 * resolves only inside the SDK's own folder) and the floor worker as window.createFloor, in one
 * cross-origin-isolated page. bench.ts runs `npm run build` first.
 */
import type * as Sdk from '../../../src/index.js';
// @ts-ignore -- dist/ exists only after `npm run build`; typed by its source just above.
import * as built from '../../../dist/index.js';

const sdk = built as typeof Sdk;

export interface Floor {
  init(numThreads: number): Promise<{ import: number; runtime: number; sessions: Record<string, number> }>;
  compare(a: Blob, b: Blob): Promise<{ cosine: number; stages: Record<string, number> }>;
  dispose(): void;
}

function createFloor(): Floor {
  const worker = new Worker(new URL('./floor-worker.ts', import.meta.url), { type: 'module', name: 'floor' });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  worker.onmessage = (ev: MessageEvent<{ id: number; value?: unknown; error?: string }>) => {
    const p = pending.get(ev.data.id)!;
    pending.delete(ev.data.id);
    if (ev.data.error) p.reject(new Error(ev.data.error));
    else p.resolve(ev.data.value);
  };
  const call = <T>(op: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      pending.set(next, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id: next++, op, args });
    });
  return {
    init: (n) => call('init', n),
    compare: (a, b) => call('compare', a, b),
    dispose: () => worker.terminate(),
  };
}

/** What a start-up run reports: milliseconds from navigation start, and the start-up split. */
export interface StartupRun {
  /** The page's module script loaded and running (it holds the SDK's page side). */
  script: number;
  /** The recognizer (or the floor's sessions) ready. */
  ready: number;
  /** The first compare done: the start-up figure. */
  done: number;
  split: Record<string, number>;
  error?: string;
}

/**
 * `?start=sdk|floor&threads=N`: create the recognizer (or the floor) as soon as this script runs and
 * compare the 640x480 pair, so the figure runs from navigation start with no driver round trip in it.
 */
async function startup(which: string, threads: number): Promise<StartupRun> {
  const script = performance.now();
  const images = Promise.all(['a640.jpg', 'b640.jpg'].map(async (n) => (await fetch(`/bench/${n}`)).blob()));
  if (which === 'floor') {
    const floor = createFloor();
    const init = await floor.init(threads);
    const ready = performance.now();
    const [a, b] = await images;
    const first = performance.now();
    await floor.compare(a, b);
    const done = performance.now();
    floor.dispose();
    return { script, ready, done, split: { import: init.import, runtime: init.runtime, ...init.sessions, first_compare: done - first } };
  }
  const fr = await sdk.createFaceRecognizer({ backend: 'wasm', numThreads: threads });
  const ready = performance.now();
  const [a, b] = await images;
  const first = performance.now();
  const { timings } = await fr.compare(a, b);
  const done = performance.now();
  const st = fr.info().startup as unknown as Record<string, number | Record<string, Record<string, number>>>;
  await fr.dispose();
  // Flat: runtime, compile, fr_detect_fetch, fr_detect_verify, fr_detect_create, …, warmUp.
  const split: Record<string, number> = {};
  for (const [k, v] of Object.entries(st)) {
    if (typeof v === 'number') split[k] = v;
    else for (const [m, parts] of Object.entries(v)) for (const [p, ms] of Object.entries(parts)) split[`${m}_${p}`] = ms;
  }
  // The first compare's own stages: what a repeat visit still pays after the warm-up.
  for (const [k, ms] of Object.entries(timings)) if (ms) split[`first_compare_${k}`] = Math.round(ms * 10) / 10;
  return { script, ready, done, split: { ...split, first_compare: done - first } };
}

declare global {
  interface Window { sdk: typeof Sdk; createFloor: typeof createFloor; benchReady: boolean; startupRun?: Promise<StartupRun> }
}
window.sdk = sdk;
window.createFloor = createFloor;
window.benchReady = true;
const q = new URLSearchParams(location.search);
const start = q.get('start');
if (start) {
  window.startupRun = startup(start, Number(q.get('threads') ?? 1)).catch((e) => ({ script: 0, ready: 0, done: 0, split: {}, error: String(e) }));
}
