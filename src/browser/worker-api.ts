/** What the worker exposes over comlink. Calls run one at a time: ORT sessions are not re-entrant. */
import { FaceEngine, type Comparison } from '../pipeline/engine.js';
import { FaceError, withImage } from '../contract/errors.js';
import { MODELS, MODEL_NAMES, type ModelName, type SdkModelName } from '../runtime/manifest.js';
import { loadModelBytes } from '../runtime/model-cache.js';
import type { ModelLoader } from '../runtime/session.js';
import { createBackend, type BackendChoice, type OrtRuntimes } from './backend.js';
import type { AnalyzeOptions, CompareOptions, LoadProgress } from '../contract/options.js';
import type { Face } from '../contract/result.js';
import type { LivenessOptions } from '../contract/options.js';
import type { LivenessResult } from '../contract/liveness.js';
import { Stopwatch, type Timed } from '../runtime/timing.js';
import { serialQueue } from '../runtime/queue.js';
import { cancelledCalls } from '../runtime/calls.js';
import { beginDecode } from './decode.js';
import { Comlink } from './rpc.js';
import type { ImagePayload } from './inputs.js';

export interface WorkerConfig {
  /** Start-up models, plus lazy ones (liveness) fetched on first use. */
  modelUrls: Record<ModelName, string> & Partial<Record<SdkModelName, string>>;
  numThreads: number;
  backend: BackendChoice;
  /** onnxruntime-web's .wasm: a folder, or `{ wasm }`, the file's URL (the page resolves it). */
  wasmPaths?: string | { wasm: string };
}

export interface BackendInfo {
  backend: 'wasm' | 'webgpu';
  /** Execution provider of each model (on WebGPU the tiny eye model stays on wasm). */
  executionProviders: Record<ModelName, string>;
  threads: number;
  crossOriginIsolated: boolean;
  models: Record<ModelName, string>;
  /** Why WebGPU is not in use, when it was asked for or 'auto' found none that works. */
  fallbackReason?: string;
  /** Cosine between WebGPU and wasm embeddings of the start-up probe (WebGPU only). */
  webgpuAgreement?: number;
  /** Start-up milliseconds: runtime (load the onnxruntime module), compile (its wasm: fetch, compile, instantiate), sessions (each model in `models`: fetch, verify, create), warmUp. */
  startup: { runtime: number; compile: number; sessions: number; warmUp: number; models: Record<string, { fetch: number; verify: number; create: number }> };
  /** Where each model came from this start-up: 'cache', 'network' or 'refetch' (bad cached copy). */
  modelSources: Partial<Record<string, string>>;
}

/** `runtimes`: the onnxruntime-web build(s) the worker entry bundles (workers/*.worker.ts). */
export function createWorkerApi(runtimes: OrtRuntimes) {
  let engine: FaceEngine | undefined;
  let info: BackendInfo | undefined;
  let config: WorkerConfig | undefined;
  const serial = serialQueue();
  // Calls the page abandoned (its AbortSignal fired): a queued one never starts.
  const calls = cancelledCalls();
  const job = <T>(callId: number | undefined, run: () => Promise<T>) => {
    calls.queued(callId);
    return serial(async () => {
      try {
        await calls.beforeStart(callId);
        return await run();
      } finally {
        calls.done(callId);
      }
    });
  };
  const ready = () => {
    if (!engine) throw new FaceError('DISPOSED', 'the recognizer is not initialised or was disposed');
    return engine;
  };
  /** beginDecode with the image's number on its errors, from either step. */
  const begin = async (p: ImagePayload, i: number) => {
    const finish = await beginDecode(p).catch((e) => { throw withImage(e, i); });
    return () => finish().catch((e) => { throw withImage(e, i); });
  };
  const decode = async (p: ImagePayload, i: number) => (await begin(p, i))();

  /**
   * Runs a job on the engine; if WebGPU fails at run time (device lost, unsupported kernel), the
   * worker switches to wasm for good and runs the job again, so the caller still gets an answer.
   */
  const withFallback = async <T>(job: (e: FaceEngine) => Promise<T>): Promise<T> => {
    const e = ready();
    try {
      return await job(e);
    } catch (err) {
      if (info?.backend !== 'webgpu' || err instanceof FaceError || !config) throw err;
      // A fresh loader: the sha256-keyed cache serves the bytes again without a download.
      const chosen = await createBackend({ choice: 'wasm', numThreads: config.numThreads, wasmPaths: config.wasmPaths, loader: fetchLoader(config), runtimes });
      await e.dispose().catch(() => undefined);
      engine = chosen.engine;
      info = { ...info, backend: 'wasm', executionProviders: engine.backends, fallbackReason: `WebGPU failed at run time: ${(err as Error).message}` };
      return job(engine);
    }
  };

  return {
    /** `onProgress`: a comlink proxy of the page's callback (a function cannot be cloned). */
    async init(cfg: WorkerConfig, onProgress?: (e: LoadProgress) => void): Promise<BackendInfo> {
      config = cfg;
      const modelSources: Partial<Record<string, string>> = {};
      const progress = startupProgress(onProgress);
      const chosen = await createBackend({
        choice: cfg.backend, numThreads: cfg.numThreads, wasmPaths: cfg.wasmPaths, runtimes,
        loader: fetchLoader(cfg, modelSources, progress.bytes), onStage: progress.stage,
      });
      progress.release();
      engine = chosen.engine;
      info = {
        backend: chosen.backend,
        executionProviders: engine.backends,
        threads: cfg.numThreads,
        crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
        models: cfg.modelUrls,
        fallbackReason: chosen.fallbackReason,
        webgpuAgreement: chosen.webgpuAgreement,
        startup: { runtime: chosen.runtimeMs, ...engine.startup },
        modelSources,
      };
      return info;
    },

    /** `callId`: the page's id of this call, for cancel(). */
    compare: (a: ImagePayload, b: ImagePayload, options?: CompareOptions, callId?: number) =>
      job(callId, async (): Promise<Timed<Comparison>> => {
        ready();
        const sw = new Stopwatch();
        // Both files checked and handed to the browser's decoder (off this thread) first, so image
        // 2 decodes while image 1 runs through the models; compare() reads its pixels when it gets
        // there and adds the wait to `decode`. Image 1's error still comes first.
        const [beginA, beginB] = [begin(a, 1), begin(b, 2)];
        beginB.catch(() => undefined); // image 1's error is the one thrown when both fail
        const finishA = await beginA;
        const finishB = await beginB;
        // An image 1 that cannot be read still lets image 2 finish (its bitmap is closed when read).
        const pa = await finishA().catch(async (e) => { await finishB().catch(() => undefined); throw e; });
        const pb = finishB();
        pb.catch(() => undefined); // awaited by compare(); image 1 may fail first
        calls.check(callId);
        const decodeMs = sw.lap();
        const r = await withFallback((e) => e.compare(pa, pb, options));
        return { value: r.value, timings: { ...r.timings, decode: decodeMs + r.timings.decode } };
      }),

    analyze: (img: ImagePayload, options?: AnalyzeOptions, callId?: number) =>
      job(callId, async (): Promise<Timed<Face[]>> => {
        ready();
        const sw = new Stopwatch();
        const p = await decode(img, 1);
        calls.check(callId);
        const decodeMs = sw.lap();
        const r = await withFallback((e) => e.analyze(p, options));
        return { value: r.value.map((f) => f.face), timings: { ...r.timings, decode: decodeMs } };
      }),

    /** Liveness of the main face; the first call loads fr_liveness (fetch, sha256, session). */
    liveness: (img: ImagePayload, options?: LivenessOptions, callId?: number) =>
      job(callId, async (): Promise<Timed<LivenessResult>> => {
        ready();
        const sw = new Stopwatch();
        const p = await decode(img, 1);
        calls.check(callId);
        const decodeMs = sw.lap();
        const r = await withFallback((e) => e.liveness(p, options)).catch((e) => { throw withImage(e, 1); });
        return { value: r.value, timings: { ...r.timings, decode: decodeMs } };
      }),

    info: () => info,

    /** The page abandoned call `callId`: if it is still queued it will not run. */
    cancel: (callId: number) => calls.cancel(callId),

    dispose: () =>
      serial(async () => {
        await engine?.dispose();
        engine = undefined;
      }),
  };
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;

/**
 * Starts every start-up model's fetch at once (through the sha256-keyed cache); sessions take them
 * in turn. Lazy models (liveness) are fetched only when the engine first asks for them.
 */
function fetchLoader(cfg: WorkerConfig, sources: Partial<Record<string, string>> = {}, onBytes?: (file: string, loaded: number) => void): ModelLoader {
  const pending = new Map<SdkModelName, Promise<Uint8Array>>();
  const fetchOne = (name: SdkModelName) => {
    const url = cfg.modelUrls[name];
    const p = url ? loadModelBytes(url, MODELS[name], { onSource: (file, src) => { sources[file] = src; }, onBytes }) : Promise.reject(new Error(`no URL for model ${name}`));
    // Surfaced when the engine asks for it, as MODEL_LOAD; a lazy model is fetched again on the next use.
    p.catch(() => { if (!(MODEL_NAMES as readonly string[]).includes(name)) pending.delete(name); });
    pending.set(name, p);
    return p;
  };
  for (const name of MODEL_NAMES) fetchOne(name);
  return (_info, name) => pending.get(name) ?? fetchOne(name);
}

/**
 * Turns byte counts and engine stages into LoadProgress events for the page: download = bytes of
 * the start-up models over their total; compile = sessions started over the sessions to create.
 */
function startupProgress(onProgress?: (e: LoadProgress) => void) {
  const files = new Map(MODEL_NAMES.map((n) => [MODELS[n].file, 0]));
  const total = MODEL_NAMES.reduce((t, n) => t + MODELS[n].bytes, 0);
  let compiled = 0;
  const send = (e: LoadProgress) => {
    // Fire and forget: comlink answers each call, a failing page callback must not fail the start-up.
    Promise.resolve(onProgress?.(e)).catch(() => undefined);
  };
  return {
    bytes(file: string, loaded: number) {
      if (!files.has(file)) return; // a lazy model, not part of the start-up
      files.set(file, loaded);
      send({ phase: 'download', file, loaded: [...files.values()].reduce((a, b) => a + b, 0), total });
    },
    stage(stage: 'compile' | 'warmup', file?: string) {
      if (stage === 'warmup') send({ phase: 'warmup', loaded: 0, total: 1 });
      else send({ phase: 'compile', ...(file ? { file } : {}), loaded: compiled++ % MODEL_NAMES.length, total: MODEL_NAMES.length });
    },
    release() {
      const p = onProgress as (Partial<Record<typeof Comlink.releaseProxy, () => void>>) | undefined;
      p?.[Comlink.releaseProxy]?.();
    },
  };
}
