/**
 * What the worker exposes over comlink: start-up, then the engine's calls, run one at a time in
 * call order (ORT sessions are not re-entrant) with the page's call ids for cancel().
 */
import { FaceError, withImage } from '../contract/errors.js';
import type { AnalyzeSettings, BackendChoice, CompareSettings, LivenessSettings, LoadProgress } from '../contract/options.js';
import type { LivenessResult } from '../contract/liveness.js';
import type { AnalyzedFrame, BackendInfo, ModelName, ModelSource, StartupModelName, Timed } from '../contract/types.js';
import { analyzedFrame, FaceEngine, type Comparison } from '../engine/face-engine.js';
import { jobQueue, type JobQueue } from '../engine/jobs.js';
import type { PreparedImage } from '../pipeline/prepared.js';
import { createBackend, type BackendResult, type OrtRuntimes } from './backend.js';
import { beginDecode } from './decode.js';
import type { ImagePayload } from './inputs.js';
import { fetchLoader, startupProgress } from './model-loader.js';

export interface WorkerConfig {
  /** Start-up models, plus lazy ones (liveness) fetched on first use. */
  modelUrls: Record<StartupModelName, string> & Partial<Record<ModelName, string>>;
  numThreads: number;
  backend: BackendChoice;
  /** onnxruntime-web's .wasm: a folder, or `{ wasm }`, the file's URL (the page resolves it). */
  wasmPaths?: string | { wasm: string };
}

/** `runtimes`: the onnxruntime-web build(s) the worker entry bundles (workers/*.worker.ts). */
export function createWorkerApi(runtimes: OrtRuntimes) {
  let engine: FaceEngine | undefined;
  let info: BackendInfo | undefined;
  let config: WorkerConfig | undefined;
  // Calls the page abandoned (its AbortSignal fired): a queued one never starts.
  const jobs = jobQueue({ yieldBeforeStart: true });
  const ready = () => {
    if (!engine) throw new FaceError('DISPOSED', 'the recognizer is not initialised or was disposed');
    return engine;
  };

  /**
   * Runs a job on the engine; if WebGPU fails at run time (device lost, unsupported kernel), the
   * worker switches to wasm for good and runs the job again, so the caller still gets an answer.
   */
  const withFallback = async <T>(job: (e: FaceEngine) => Promise<T>): Promise<T> => {
    const e = ready();
    try {
      return await job(e);
    } catch (err) {
      if (isRuntimeAbort(err)) {
        // onnxruntime's wasm heap is in an unknown state: this worker is not to be reused.
        throw new FaceError('WORKER_CRASHED', `onnxruntime aborted: ${errorText(err)}`);
      }
      // A failure of the run itself (not the SDK's own FaceErrors: no face, a bad file…) on WebGPU.
      const runFailed = !(err instanceof FaceError) || (err.code === 'INTERNAL' && !err.message.startsWith('the scan fails'));
      if (info?.backend !== 'webgpu' || !runFailed || !config) throw err;
      // A fresh loader: the sha256-keyed cache serves the bytes again without a download.
      const chosen = await createBackend({ choice: 'wasm', numThreads: config.numThreads, wasmPaths: config.wasmPaths, loader: fetchLoader(config.modelUrls), runtimes });
      await e.dispose().catch(() => undefined);
      engine = chosen.engine;
      info = { ...info, backend: 'wasm', executionProviders: engine.backends, fallbackReason: `WebGPU failed at run time: ${(err as Error).message}` };
      return job(engine);
    }
  };

  /** One image's call: decoded while queued behind nothing else of this call, then run on the engine. */
  const oneImage = <T>(callId: number, img: ImagePayload, run: (e: FaceEngine, p: Promise<PreparedImage>) => Promise<Timed<T>>) =>
    jobs.run(callId, () => {
      ready();
      const p = decoded(jobs, img, 1, callId);
      p.catch(() => undefined); // awaited by the engine
      return withFallback((e) => run(e, p));
    });

  return {
    /** `onProgress`: a comlink proxy of the page's callback (a function cannot be cloned). */
    async init(cfg: WorkerConfig, onProgress?: (e: LoadProgress) => void): Promise<BackendInfo> {
      config = cfg;
      const modelSources: Record<string, ModelSource> = {};
      const progress = startupProgress(onProgress);
      const chosen = await createBackend({
        choice: cfg.backend, numThreads: cfg.numThreads, wasmPaths: cfg.wasmPaths, runtimes,
        loader: fetchLoader(cfg.modelUrls, modelSources, progress.bytes), onStage: progress.stage,
      });
      progress.release();
      engine = chosen.engine;
      info = backendInfo(chosen, engine, cfg, modelSources);
      return info;
    },

    /**
     * Both files are checked and handed to the browser's decoder (off this thread) at once, so image
     * 2 decodes while image 1 runs through the models; image 2's pixels are read after image 1's.
     */
    compare: (a: ImagePayload, b: ImagePayload, options: CompareSettings, callId: number): Promise<Timed<Comparison>> =>
      jobs.run(callId, () => {
        ready();
        const pa = decoded(jobs, a, 1, callId);
        const pb = decoded(jobs, b, 2, callId, pa);
        pa.catch(() => undefined); // both awaited by the engine, image 1 first
        pb.catch(() => undefined);
        return withFallback((e) => e.compare(pa, pb, options));
      }),

    /** Every face; with `liveness`, each one's live score too, on the same detection. */
    analyze: (img: ImagePayload, options: AnalyzeSettings, callId: number): Promise<Timed<AnalyzedFrame>> =>
      oneImage(callId, img, async (e, p) => {
        const r = await e.analyze(p, options);
        return { value: analyzedFrame(r.value, options), timings: r.timings };
      }),

    /** Liveness of the main face; the first call loads fr_liveness (fetch, sha256, session). */
    liveness: (img: ImagePayload, options: LivenessSettings, callId: number): Promise<Timed<LivenessResult>> =>
      oneImage(callId, img, (e, p) => e.liveness(p, options)),

    embed: (img: ImagePayload, options: AnalyzeSettings, callId: number): Promise<Timed<Float32Array>> =>
      oneImage(callId, img, (e, p) => e.faceEmbedding(p, options)),

    info: () => info,

    /** The page's heartbeat: a worker that is gone, or hung, never answers it. */
    ping: () => true,

    /**
     * Holds the Web Lock `name` for as long as this worker lives: the browser releases it when the
     * worker ends in any way (closed, terminated, crashed), and the page, waiting for the same lock,
     * learns at once that the worker is gone. Resolves once the lock is held (false: no Web Locks here).
     */
    holdLifeLock: (name: string): Promise<boolean> => {
      const locks = (globalThis.navigator as Navigator & { locks?: LockManager } | undefined)?.locks;
      if (!locks) return Promise.resolve(false);
      return new Promise((held) => {
        locks.request(name, () => {
          held(true);
          return new Promise<never>(() => undefined);
        }).catch(() => held(false));
      });
    },

    /** The page abandoned call `callId`: if it is still queued it will not run. */
    cancel: (callId: number) => jobs.cancel(callId),

    dispose: () =>
      jobs.last(async () => {
        await engine?.dispose();
        engine = undefined;
      }),
  };
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;

/**
 * A payload's pixels, as the engine takes them: a promise, so the engine counts the wait as
 * `decode`. Errors name the image; `after`: image 2's pixels are read once image 1's are. Once the
 * pixels are in, a call abandoned meanwhile stops.
 */
async function decoded(jobs: JobQueue, p: ImagePayload, image: number, callId: number, after?: Promise<unknown>): Promise<PreparedImage> {
  const finish = await beginDecode(p).catch((e) => { throw withImage(e, image); });
  await after?.catch(() => undefined);
  const img = await finish().catch((e) => { throw withImage(e, image); });
  jobs.check(callId);
  return img;
}

function backendInfo(chosen: BackendResult, engine: FaceEngine, cfg: WorkerConfig, modelSources: Record<string, ModelSource>): BackendInfo {
  return {
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
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * An abort inside onnxruntime's wasm (a trap, out of memory, Emscripten's abort()), possibly
 * wrapped by the engine as an INTERNAL FaceError: after one, the worker's runtime cannot be trusted.
 */
function isRuntimeAbort(e: unknown): boolean {
  const inner = e instanceof FaceError && e.code === 'INTERNAL' && e.cause !== undefined ? e.cause : e;
  if (typeof WebAssembly !== 'undefined' && inner instanceof WebAssembly.RuntimeError) return true;
  const text = e instanceof FaceError && e.code !== 'INTERNAL' ? '' : errorText(e);
  return /\bRuntimeError\b|\bAborted\(|\bout of memory\b|memory access out of bounds|\bunreachable\b/i.test(text);
}
