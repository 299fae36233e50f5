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
import { startWorker } from './worker-start.js';

/** The browser recognizer: every call runs in its worker; results and timings are the call's own. */
export interface FaceRecognizer extends RecognizerCalls<ImageInput> {
  /** Backend in use: wasm or WebGPU, threads, cross-origin isolation, model URLs, start-up split. */
  info(): BackendInfo;
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

  const send = (p: PayloadWithTransfer) => Comlink.transfer(p.payload, p.transfer);
  const calls = createRecognizerCalls<ImageInput, PayloadWithTransfer>({
    prepare: toPayload,
    runner: {
      compare: (a, b, o, id) => remote.compare(send(a), send(b), o, id),
      analyze: (p, o, id) => remote.analyze(send(p), o, id),
      liveness: (p, o, id) => remote.liveness(send(p), o, id),
      embed: (p, o, id) => remote.embed(send(p), o, id),
      cancel: (id) => void remote.cancel(id).catch(() => undefined),
    },
    // A WebGPU worker may fall back to wasm for good during a call (device lost): info() must then say so.
    afterCall: async () => {
      if (info.backend === 'webgpu') info = (await remote.info().catch(() => undefined)) ?? info;
    },
    // The worker may be busy (or stuck) with a call: wait at most 2 s for it to release its
    // sessions, then terminate it anyway.
    release: async () => {
      try {
        await Promise.race([remote.dispose(), new Promise((r) => setTimeout(r, 2000))]);
      } catch {
        // terminated below either way
      } finally {
        remote[Comlink.releaseProxy]();
        worker.terminate();
      }
    },
  });
  return { ...calls, info: () => info };
}
