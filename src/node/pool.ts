/**
 * A pool of worker threads, each with its own recognizer and sessions (ORT sessions are not
 * re-entrant, and one intra-op thread per worker keeps every core on its own image): `cli batch`
 * and `cli eval` embed images on every core. Jobs go to whichever worker is free, two in flight per
 * worker so sharp's decode of the next image overlaps the current inference.
 */
import { Worker } from 'node:worker_threads';
import { FaceError } from '../contract/errors.js';
import type { PoolWorkerData } from './pool-worker.js';
import type { NodeRuntimeChoice, NodeRuntimeName } from './runtime.js';

export interface EmbedPool {
  readonly size: number;
  /** The runtime the workers run on. */
  readonly runtime: NodeRuntimeName;
  embed(path: string): Promise<Float32Array>;
  close(): Promise<void>;
}

const IN_FLIGHT = 2;

// From the build, the .js file beside this one (a variable, so the bundler leaves the URL alone).
// From src/ (tsx), the .ts file, through tsx's loader: a worker thread does not inherit it.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './pool-worker.ts' : './pool-worker.js', import.meta.url);
const spawn = (workerData: PoolWorkerData) =>
  FROM_SOURCE
    ? new Worker(`import('tsx/esm/api').then((t) => t.register()).then(() => import(${JSON.stringify(WORKER_URL.href)}))`, { eval: true, workerData })
    : new Worker(WORKER_URL, { workerData });

export async function createEmbedPool(size: number, runtime: NodeRuntimeChoice = 'auto', modelsDir?: string): Promise<EmbedPool> {
  const data: PoolWorkerData = { runtime, modelsDir };
  type Pending = { resolve(v: Float32Array): void; reject(e: Error): void; worker?: Worker };
  const pending = new Map<number, Pending>();
  const queue: { id: number; path: string }[] = [];
  const busy = new Map<Worker, number>();
  let next = 0;
  let closing = false;

  // Fill level by level: every free worker gets a job before any gets its second.
  const pump = () => {
    for (let level = 0; level < IN_FLIGHT; level++) {
      for (const [w, n] of busy) {
        if (n > level || !queue.length) continue;
        busy.set(w, n + 1);
        const job = queue.shift()!;
        pending.get(job.id)!.worker = w;
        w.postMessage(job);
      }
    }
  };

  const start = () =>
    new Promise<{ worker: Worker; runtime: NodeRuntimeName }>((resolve, reject) => {
      const worker = spawn(data);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new FaceError('INTERNAL', `a pool worker exited (${code}) before it was ready`)));
      worker.once('message', (m: { ready: NodeRuntimeName | false; error?: { code: string; message: string } }) => {
        if (!m.ready) return reject(FaceError.fromJSON(m.error!));
        worker.on('message', (r: { id: number; embedding?: Float32Array; error?: { code: string; message: string; details?: Record<string, unknown> } }) => {
          const p = pending.get(r.id)!;
          pending.delete(r.id);
          busy.set(worker, busy.get(worker)! - 1);
          if (r.error) p.reject(FaceError.fromJSON(r.error as Parameters<typeof FaceError.fromJSON>[0]));
          else p.resolve(r.embedding!);
          pump();
        });
        // A worker that dies (an error, or an exit without one) takes only its own jobs with it; the
        // others go on. With none left, nothing can run: every pending and later job fails at once.
        const died = (why: string) => {
          if (!busy.delete(worker)) return;
          const lost = (p: Pending) => p.reject(new FaceError('INTERNAL', `a pool worker failed: ${why}`));
          for (const [id, p] of pending) if (p.worker === worker || busy.size === 0) { lost(p); pending.delete(id); }
          if (busy.size === 0) queue.length = 0;
          else pump();
        };
        worker.on('error', (e) => died(e.message));
        worker.on('exit', (code) => { if (!closing) died(`exited with code ${code}`); });
        resolve({ worker, runtime: m.ready });
      });
    });

  const started = await Promise.allSettled(Array.from({ length: size }, start));
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
    throw failed.reason instanceof FaceError ? failed.reason : new FaceError('INTERNAL', `cannot start a pool worker: ${(failed.reason as Error)?.message}`);
  }
  for (const { worker } of workers) busy.set(worker, 0);
  return {
    size,
    runtime: workers[0].runtime,
    embed: (path) =>
      new Promise<Float32Array>((resolve, reject) => {
        if (busy.size === 0) return reject(new FaceError(closing ? 'DISPOSED' : 'INTERNAL', closing ? 'the pool was closed' : 'every pool worker has failed'));
        const id = next++;
        pending.set(id, { resolve, reject });
        queue.push({ id, path });
        pump();
      }),
    async close() {
      closing = true;
      // Each worker releases its sessions and exits; one that does not within 5 s is terminated.
      await Promise.all(workers.filter(({ worker }) => busy.has(worker)).map(({ worker }) => new Promise<void>((resolve) => {
        const timer = setTimeout(() => void worker.terminate(), 5000);
        worker.once('exit', () => { clearTimeout(timer); resolve(); });
        worker.postMessage({ close: true });
      })));
    },
  };
}
