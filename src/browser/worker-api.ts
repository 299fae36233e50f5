/** What the worker exposes over comlink. Calls run one at a time: ORT sessions are not re-entrant. */
import { FaceEngine } from '../engine.js';
import { FaceError, withImage } from '../errors.js';
import type { ModelName } from '../manifest.js';
import { ort } from '../models.js';
import type { AnalyzeOptions, CompareOptions, CompareResult, Face } from '../schema.js';
import { Stopwatch, type StageTimings } from '../timing.js';
import { decodePayload } from './decode.js';
import type { ImagePayload } from './inputs.js';

export interface WorkerConfig {
  modelUrls: Record<ModelName, string>;
  numThreads: number;
  /** Optional override of where onnxruntime-web's .wasm files live. */
  wasmPaths?: string;
}

export interface BackendInfo {
  backend: 'wasm';
  threads: number;
  simd: boolean;
  crossOriginIsolated: boolean;
  models: Record<ModelName, string>;
}

export interface Timed<T> { value: T; timings: StageTimings }

export function createWorkerApi() {
  let engine: FaceEngine | undefined;
  let info: BackendInfo | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };
  const ready = () => {
    if (!engine) throw new FaceError('DISPOSED', 'the recognizer is not initialised or was disposed');
    return engine;
  };
  const decode = async (p: ImagePayload, i: number) => decodePayload(p).catch((e) => { throw withImage(e, i); });

  return {
    async init(cfg: WorkerConfig): Promise<BackendInfo> {
      ort.env.wasm.numThreads = cfg.numThreads;
      if (cfg.wasmPaths) ort.env.wasm.wasmPaths = cfg.wasmPaths;
      engine = await FaceEngine.create({
        loader: async (m, name) => {
          const res = await fetch(cfg.modelUrls[name]);
          if (!res.ok) throw new Error(`HTTP ${res.status} for ${cfg.modelUrls[name]}`);
          return new Uint8Array(await res.arrayBuffer());
        },
      });
      info = {
        backend: 'wasm',
        threads: cfg.numThreads,
        simd: true,
        crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
        models: cfg.modelUrls,
      };
      return info;
    },

    compare: (a: ImagePayload, b: ImagePayload, options?: CompareOptions) =>
      serial(async (): Promise<Timed<CompareResult & { cosine: number }>> => {
        const e = ready();
        const sw = new Stopwatch();
        const [pa, pb] = [await decode(a, 1), await decode(b, 2)];
        const decodeMs = sw.lap();
        const value = await e.compare(pa, pb, options);
        return { value, timings: { ...e.timings, decode: decodeMs } };
      }),

    analyze: (img: ImagePayload, options?: AnalyzeOptions) =>
      serial(async (): Promise<Timed<Face[]>> => {
        const e = ready();
        const sw = new Stopwatch();
        const p = await decode(img, 1);
        const decodeMs = sw.lap();
        const faces = (await e.analyze(p, options)).map((f) => f.face);
        return { value: faces, timings: { ...e.timings, decode: decodeMs } };
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
