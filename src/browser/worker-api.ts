/** What the worker exposes over comlink. Calls run one at a time: ORT sessions are not re-entrant. */
import { FaceEngine } from '../engine.js';
import { FaceError, withImage } from '../errors.js';
import { MODELS, type ModelName } from '../manifest.js';
import { loadModelBytes } from './model-cache.js';
import type { ModelLoader } from '../models.js';
import { createBackend, type BackendChoice } from './backend.js';
import type { AnalyzeOptions, CompareOptions, CompareResult, Face } from '../schema.js';
import { Stopwatch, type StageTimings } from '../timing.js';
import { serialQueue } from '../serial.js';
import { decodePayload } from './decode.js';
import type { ImagePayload } from './inputs.js';

export interface WorkerConfig {
  modelUrls: Record<ModelName, string>;
  numThreads: number;
  backend: BackendChoice;
  /** Optional override of where onnxruntime-web's .wasm files live. */
  wasmPaths?: string;
}

export interface BackendInfo {
  backend: 'wasm' | 'webgpu';
  /** Execution provider of each model (on WebGPU the tiny eye model stays on wasm). */
  executionProviders: Record<ModelName, string>;
  threads: number;
  /** Always true: onnxruntime-web 1.30 ships only SIMD wasm builds, so a running backend has SIMD. */
  simd: boolean;
  crossOriginIsolated: boolean;
  models: Record<ModelName, string>;
  /** Why WebGPU is not in use, when it was asked for or 'auto' found none that works. */
  fallbackReason?: string;
  /** Cosine between WebGPU and wasm embeddings of the start-up probe (WebGPU only). */
  webgpuAgreement?: number;
  /** Start-up milliseconds: runtime (wasm load + compile), sessions (fetch, verify, create), warmUp. */
  startup: { runtime: number; sessions: number; warmUp: number };
  /** Where each model came from this start-up: 'cache', 'network' or 'refetch' (bad cached copy). */
  modelSources: Partial<Record<string, string>>;
}

export interface Timed<T> { value: T; timings: StageTimings }

export function createWorkerApi() {
  let engine: FaceEngine | undefined;
  let info: BackendInfo | undefined;
  let config: WorkerConfig | undefined;
  const serial = serialQueue();
  const ready = () => {
    if (!engine) throw new FaceError('DISPOSED', 'the recognizer is not initialised or was disposed');
    return engine;
  };
  const decode = async (p: ImagePayload, i: number) => decodePayload(p).catch((e) => { throw withImage(e, i); });

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
      const chosen = await createBackend({ choice: 'wasm', numThreads: config.numThreads, wasmPaths: config.wasmPaths, loader: fetchLoader(config) });
      await e.dispose().catch(() => undefined);
      engine = chosen.engine;
      info = { ...info, backend: 'wasm', executionProviders: engine.backends, fallbackReason: `WebGPU failed at run time: ${(err as Error).message}` };
      return job(engine);
    }
  };

  return {
    async init(cfg: WorkerConfig): Promise<BackendInfo> {
      config = cfg;
      const modelSources: Partial<Record<string, string>> = {};
      const chosen = await createBackend({ choice: cfg.backend, numThreads: cfg.numThreads, wasmPaths: cfg.wasmPaths, loader: fetchLoader(cfg, modelSources) });
      engine = chosen.engine;
      info = {
        backend: chosen.backend,
        executionProviders: engine.backends,
        threads: cfg.numThreads,
        simd: true,
        crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
        models: cfg.modelUrls,
        fallbackReason: chosen.fallbackReason,
        webgpuAgreement: chosen.webgpuAgreement,
        startup: { runtime: chosen.runtimeMs, ...engine.startup },
        modelSources,
      };
      return info;
    },

    compare: (a: ImagePayload, b: ImagePayload, options?: CompareOptions) =>
      serial(async (): Promise<Timed<CompareResult & { cosine: number }>> => {
        ready();
        const sw = new Stopwatch();
        const [pa, pb] = [await decode(a, 1), await decode(b, 2)];
        const decodeMs = sw.lap();
        return withFallback(async (e) => ({ value: await e.compare(pa, pb, options), timings: { ...e.timings, decode: decodeMs } }));
      }),

    analyze: (img: ImagePayload, options?: AnalyzeOptions) =>
      serial(async (): Promise<Timed<Face[]>> => {
        ready();
        const sw = new Stopwatch();
        const p = await decode(img, 1);
        const decodeMs = sw.lap();
        return withFallback(async (e) => ({ value: (await e.analyze(p, options)).map((f) => f.face), timings: { ...e.timings, decode: decodeMs } }));
      }),

    info: () => info,

    dispose: () =>
      serial(async () => {
        await engine?.dispose();
        engine = undefined;
      }),
  };
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;

/**
 * Loads every model at once (fetches overlap while sessions are created one by one), through the
 * sha256-keyed cache; a WebGPU fallback reuses the same bytes.
 */
function fetchLoader(cfg: WorkerConfig, sources: Partial<Record<string, string>> = {}): ModelLoader {
  const pending = new Map<ModelName, Promise<Uint8Array>>();
  for (const name of Object.keys(cfg.modelUrls) as ModelName[]) {
    const p = loadModelBytes(cfg.modelUrls[name], MODELS[name], { onSource: (file, src) => { sources[file] = src; } });
    p.catch(() => undefined); // surfaced when the engine asks for it, as MODEL_LOAD
    pending.set(name, p);
  }
  return (_info, name) => pending.get(name) ?? Promise.reject(new Error(`no URL for model ${name}`));
}
