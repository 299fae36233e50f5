/** Starting the prebuilt recognizer worker on the page, through a blob module or from its URL. */
import { FaceError } from '../contract/errors.js';
import type { BackendInfo } from '../contract/types.js';
import { Comlink } from './rpc.js';
import type { WorkerApi } from './worker-api.js';

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
export async function startWorker(url: string, init: (remote: Comlink.Remote<WorkerApi>) => Promise<BackendInfo>) {
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

/** Rejects when the worker script cannot be loaded (a 404, a CSP refusal): init would wait forever. */
function workerFailure(worker: Worker, url: string, signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      reject(new WorkerStartError('MODEL_LOAD', `cannot start the recognizer worker ${url}${ev.message ? `: ${ev.message}` : ''}`));
    }, { once: true, signal });
  });
}

