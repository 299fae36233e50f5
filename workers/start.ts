/// <reference lib="webworker" />
import { Comlink } from '../src/browser/rpc.js';
import { createWorkerApi } from '../src/browser/worker-api.js';
import type { OrtRuntimes } from '../src/browser/backend.js';

/**
 * Exposes the worker API, except in onnxruntime's own thread workers: for multi-threaded wasm it
 * starts this same script again as `em-pthread` workers, where the statically imported runtime
 * takes over (which is why each worker bundles its runtime statically, one build per worker).
 */
export function startWorker(runtimes: OrtRuntimes): void {
  if ((self as { name?: string }).name?.startsWith('em-pthread')) return;
  Comlink.expose(createWorkerApi(runtimes));
}
