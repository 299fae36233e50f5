/**
 * The browser recognizer: the pipeline runs in a Web Worker (comlink), the page only turns inputs
 * into transferable payloads. Every call returns its own result and timings.
 */
import { Comlink } from './rpc.js';
import { assetUrls } from './assets.js';
import { toPayload, type ImageInput } from './inputs.js';
import type { BackendInfo, WorkerApi } from './worker-api.js';
import { FaceError, withImage } from '../contract/errors.js';
import {
  AnalyzeOptionsSchema, CompareOptionsSchema, parseOptions, RecognizerOptionsSchema,
  type AnalyzeOptions, type CompareOptions, type LoadProgress, type RecognizerOptions,
} from '../contract/options.js';
import type { CompareResult, Face } from '../contract/result.js';
import { LivenessOptionsSchema, type LivenessOptions } from '../contract/options.js';
import type { LivenessResult } from '../contract/liveness.js';
import type { AnalyzeDetails, CompareDetails, LivenessDetails } from '../contract/types.js';
import { CallTracker, splitSignal, type RecognizerCallOptions, type CallStats } from '../runtime/calls.js';

export interface FaceRecognizer {
  /** The platform's compare_face scan for two images (main face of each). */
  compareFaces(a: ImageInput, b: ImageInput, options?: CompareOptions & RecognizerCallOptions): Promise<CompareResult>;
  /** compareFaces plus the raw cosine and this call's stage timings. */
  compare(a: ImageInput, b: ImageInput, options?: CompareOptions & RecognizerCallOptions): Promise<CompareDetails>;
  /** Every face in the image, largest first. */
  analyze(image: ImageInput, options?: AnalyzeOptions & RecognizerCallOptions): Promise<Face[]>;
  /** analyze plus this call's stage timings. */
  analyzeDetailed(image: ImageInput, options?: AnalyzeOptions & RecognizerCallOptions): Promise<AnalyzeDetails>;
  /**
   * Is the main face a live person or a printed photo (docs/liveness.md)? The first call fetches
   * and verifies the liveness model (1.9 MB); nothing else loads it.
   */
  liveness(image: ImageInput, options?: LivenessOptions & RecognizerCallOptions): Promise<LivenessResult>;
  /** liveness plus this call's stage timings. */
  livenessDetailed(image: ImageInput, options?: LivenessOptions & RecognizerCallOptions): Promise<LivenessDetails>;
  /** Counters of this recognizer's calls: pending, settled, aborted, skipped (aborted before they started). */
  stats(): CallStats;
  /** Backend in use: threads, cross-origin isolation, model URLs. */
  info(): BackendInfo;
  /** Releases the sessions and terminates the worker. */
  dispose(): Promise<void>;
}

/**
 * Starts the prebuilt recognizer worker (a self-contained module: no bundler has to process it),
 * first through a one-line blob module that imports it: Chromium aborts a module worker's script
 * fetch when a service worker answers it from cache (the offline kiosk reload), while a blob worker
 * inherits the page's service worker and its import goes through it. `direct` starts it from its
 * URL: where blob workers are not allowed (a strict CSP without `worker-src blob:`).
 */
function spawnWorker(url: string, direct: boolean): { worker: Worker; release(): void } {
  const opts: WorkerOptions = { type: 'module', name: 'face-recognizer' };
  if (direct) return { worker: new Worker(url, opts), release: () => undefined };
  const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: 'text/javascript' }));
  try {
    return { worker: new Worker(boot, opts), release: () => URL.revokeObjectURL(boot) };
  } catch {
    URL.revokeObjectURL(boot);
    return { worker: new Worker(url, opts), release: () => undefined };
  }
}

class WorkerStartError extends FaceError {}

/**
 * A started worker with its API initialised. A blob worker refused by CSP fails asynchronously
 * (an error event, not an exception), so a worker that cannot start is tried once more from its URL.
 */
async function startWorker(url: string, init: (remote: Comlink.Remote<WorkerApi>) => Promise<BackendInfo>) {
  for (const direct of [false, true]) {
    const { worker, release } = spawnWorker(url, direct);
    const remote = Comlink.wrap<WorkerApi>(worker);
    const started = new AbortController(); // after start-up, a worker error is not a start failure
    try {
      const info = await Promise.race([init(remote), workerFailure(worker, url, started.signal)]);
      return { worker, remote, info };
    } catch (e) {
      remote[Comlink.releaseProxy]();
      worker.terminate();
      if (!(e instanceof WorkerStartError) || direct) {
        throw e instanceof FaceError ? e : new FaceError('MODEL_LOAD', `cannot start the recognizer: ${(e as Error).message}`);
      }
    } finally {
      started.abort();
      release(); // the worker has loaded (or failed): the bootstrap URL is no longer needed
    }
  }
  throw new FaceError('MODEL_LOAD', `cannot start the recognizer worker ${url}`);
}

/** The WebGPU worker (and its 26.8 MB runtime) only when WebGPU may be used: asked for and an adapter exists. */
async function webGpuAdapter(choice: 'auto' | 'wasm' | 'webgpu'): Promise<boolean> {
  if (choice === 'wasm') return false;
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  try {
    return !!(gpu && (await gpu.requestAdapter()));
  } catch {
    return false;
  }
}

/** Rejects when the worker script cannot be loaded (a 404, a CSP refusal): init would wait forever. */
function workerFailure(worker: Worker, url: string, signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      reject(new WorkerStartError('MODEL_LOAD', `cannot start the recognizer worker ${url}${ev.message ? `: ${ev.message}` : ''}`));
    }, { once: true, signal });
  });
}

export async function createFaceRecognizer(options: RecognizerOptions = {}): Promise<FaceRecognizer> {
  const opts = parseOptions(RecognizerOptionsSchema, options);
  const urls = assetUrls(opts.assetBaseUrl, opts.wasmPaths);
  const kind = (await webGpuAdapter(opts.backend)) ? 'webgpu' : 'wasm';
  const isolated = globalThis.crossOriginIsolated === true;
  const numThreads = opts.numThreads ?? Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 1) - 1));
  // Progress events cross from the worker through a comlink proxy; none after 'ready'.
  let ready = false;
  const report = (e: LoadProgress) => {
    if (!ready) opts.onProgress?.(e);
  };
  const started = await startWorker(urls.worker[kind], (remote) => remote.init({
    modelUrls: urls.models,
    numThreads: isolated ? numThreads : 1,
    backend: opts.backend,
    wasmPaths: { wasm: urls.wasm[kind] },
  }, opts.onProgress ? Comlink.proxy(report) : undefined));
  const { worker, remote } = started;
  let info: BackendInfo = started.info;
  report({ phase: 'ready', loaded: 1, total: 1 });
  ready = true;
  let disposed = false;
  const live = () => {
    if (disposed) throw new FaceError('DISPOSED', 'this recognizer was disposed');
  };
  const payload = async (input: ImageInput, i: number) => toPayload(input).catch((e) => { throw withImage(e, i); });
  // A WebGPU worker may fall back to wasm for good during a call (device lost): info() must then say so.
  const refreshInfo = async () => {
    if (info.backend === 'webgpu') info = (await remote.info().catch(() => undefined)) ?? info;
  };

  // An AbortSignal cannot cross to the worker: the page rejects at once and tells the worker the
  // call id, so a job still queued there never starts (runtime/calls.ts).
  const calls = new CallTracker((id) => void remote.cancel(id).catch(() => undefined));

  type Payload = Awaited<ReturnType<typeof payload>>;
  const send = (p: Payload) => Comlink.transfer(p.payload, p.transfer);

  /**
   * One call through the worker: options checked on the page before any transfer, the inputs made
   * into payloads, the job handed to the worker in call order (an abort before it starts means it
   * never runs there), then info() brought up to date.
   */
  const workerCall = async <O extends object, T>(
    schema: Parameters<typeof parseOptions>[0],
    callOptions: (O & RecognizerCallOptions) | undefined,
    inputs: ImageInput[],
    run: (payloads: Payload[], options: O | undefined, id: number) => Promise<T>,
  ): Promise<T> => {
    live();
    const { signal, options } = splitSignal<O>(callOptions);
    parseOptions(schema, options);
    return calls.run(signal, async ({ id, inTurn }) => {
      const payloads = await Promise.all(inputs.map((input, i) => payload(input, i + 1)));
      const result = await inTurn(() => run(payloads, options, id));
      await refreshInfo();
      return result;
    });
  };

  const compare: FaceRecognizer['compare'] = (a, b, callOptions) =>
    workerCall(CompareOptionsSchema, callOptions, [a, b], async ([pa, pb], options, id) => {
      const { value, timings } = await remote.compare(send(pa!), send(pb!), options, id);
      return { scan: value.scan, cosine: value.cosine, timings };
    });
  const analyzeDetailed: FaceRecognizer['analyzeDetailed'] = (image, callOptions) =>
    workerCall(AnalyzeOptionsSchema, callOptions, [image], async ([p], options, id) => {
      const { value, timings } = await remote.analyze(send(p!), options, id);
      return { faces: value, timings };
    });
  const livenessDetailed: FaceRecognizer['livenessDetailed'] = (image, callOptions) =>
    workerCall(LivenessOptionsSchema, callOptions, [image], async ([p], options, id) => {
      const { value, timings } = await remote.liveness(send(p!), options, id);
      return { ...value, timings };
    });

  return {
    compare,
    compareFaces: async (a, b, options) => (await compare(a, b, options)).scan,
    livenessDetailed,
    liveness: async (image, options) => {
      const { timings: _timings, ...result } = await livenessDetailed(image, options);
      return result;
    },
    analyzeDetailed,
    analyze: async (image, options) => (await analyzeDetailed(image, options)).faces,
    info: () => info,
    stats: () => calls.snapshot(),
    async dispose() {
      if (disposed) return;
      disposed = true;
      // Pending calls get DISPOSED now; the worker may be busy (or stuck) with one: wait at most 2 s
      // for it to release its sessions, then terminate it anyway.
      calls.rejectAll(new FaceError('DISPOSED', 'the recognizer was disposed during this call'));
      try {
        await Promise.race([remote.dispose(), new Promise((r) => setTimeout(r, 2000))]);
      } catch {
        // terminated below either way
      } finally {
        remote[Comlink.releaseProxy]();
        worker.terminate();
      }
    },
  };
}
