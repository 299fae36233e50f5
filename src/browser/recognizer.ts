/**
 * The browser recognizer: the pipeline runs in a Web Worker (comlink); the page turns inputs into
 * transferable payloads and hands them to the shared call wrapper (engine/recognizer.ts).
 */
import { parseOptions, RecognizerOptionsSchema, type LoadProgress, type RecognizerOptions } from '../contract/options.js';
import type { BackendInfo } from '../contract/types.js';
import { createRecognizerCalls, type RecognizerCalls } from '../engine/recognizer.js';
import { assetUrls } from './assets.js';
import { toPayload, type ImageInput, type PayloadWithTransfer } from './inputs.js';
import { Comlink } from './rpc.js';
import { webGpuUnavailable } from './webgpu.js';
import { createWorkerHost, type StartedWorker } from './worker-host.js';
import { startWorker } from './worker-start.js';
import type { WorkerApi } from './worker-api.js';

/** The browser recognizer: every call runs in its worker; results and timings are the call's own. */
export interface FaceRecognizer extends RecognizerCalls<ImageInput> {
  /** Backend in use: wasm or WebGPU, threads, cross-origin isolation, model URLs, start-up split. */
  info(): BackendInfo;
  /**
   * A fresh worker now. A worker that dies is replaced by the next call on its own; after 3
   * crashes within a minute calls fail with WORKER_CRASHED until this is called.
   */
  restart(): Promise<void>;
}

export async function createFaceRecognizer(options: RecognizerOptions = {}): Promise<FaceRecognizer> {
  const opts = parseOptions(RecognizerOptionsSchema, options);
  const urls = assetUrls(opts.assetBaseUrl, opts.wasmPaths);
  // The WebGPU worker (and its 26.8 MB runtime) only when WebGPU may be used: asked for and an adapter exists.
  const kind = opts.backend !== 'wasm' && !(await webGpuUnavailable()) ? 'webgpu' : 'wasm';
  const isolated = globalThis.crossOriginIsolated === true;
  const numThreads = opts.numThreads ?? Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 1) - 1));
  // Progress events cross from the worker through a comlink proxy; none after 'ready'.
  let ready = false;
  const report = (e: LoadProgress) => {
    if (!ready) opts.onProgress?.(e);
  };
  const init = (remote: Comlink.Remote<WorkerApi>, progress?: (e: LoadProgress) => void) => remote.init({
    modelUrls: urls.models,
    numThreads: isolated ? numThreads : 1,
    backend: opts.backend,
    wasmPaths: { wasm: urls.wasm[kind] },
  }, progress ? Comlink.proxy(progress) : undefined);
  /** A started worker, holding its life lock (worker-host.ts) before it is handed over. */
  const start = async (progress?: (e: LoadProgress) => void): Promise<StartedWorker> => {
    const s = await startWorker(urls.worker[kind], (remote) => init(remote, progress));
    const name = `face-sdk-worker-${crypto.randomUUID()}`;
    return (await s.remote.holdLifeLock(name)) ? { ...s, lifeLock: name } : s;
  };
  const first = await start(opts.onProgress ? report : undefined);
  report({ phase: 'ready', loaded: 1, total: 1 });
  ready = true;
  // A worker that dies later is replaced by the next call (models from Cache Storage).
  const host = createWorkerHost(first, () => start(), { onStatus: opts.onStatus });
  let info: BackendInfo = first.info;

  const send = (p: PayloadWithTransfer) => Comlink.transfer(p.payload, p.transfer);
  const calls = createRecognizerCalls<ImageInput, PayloadWithTransfer>({
    prepare: toPayload,
    runner: {
      compare: (a, b, o, id) => host.call((remote) => remote.compare(send(a), send(b), o, id)),
      analyze: (p, o, id) => host.call((remote) => remote.analyze(send(p), o, id)),
      liveness: (p, o, id) => host.call((remote) => remote.liveness(send(p), o, id)),
      embed: (p, o, id) => host.call((remote) => remote.embed(send(p), o, id)),
      cancel: (id) => void host.ifAlive((remote) => remote.cancel(id)),
    },
    // A WebGPU worker may fall back to wasm for good during a call (device lost): info() must then say so.
    afterCall: async () => {
      info = host.info();
      if (info.backend === 'webgpu') info = (await host.ifAlive((remote) => remote.info())) ?? info;
    },
    restarts: () => host.restarts(),
    release: () => host.dispose(),
  });
  return {
    ...calls,
    info: () => info,
    async restart() {
      await host.restart();
      info = host.info();
    },
  };
}
