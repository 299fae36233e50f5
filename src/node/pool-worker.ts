/**
 * One worker of the embedding pool (pool.ts): its own recognizer and sessions, one intra-op thread,
 * embedding the image paths it is sent. Errors go back as {code, message, details}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toFaceError } from '../contract/errors.js';
import { createFaceRecognizer } from './index.js';
import type { NodeRuntimeChoice } from './runtime.js';

export interface PoolWorkerData {
  runtime: NodeRuntimeChoice;
  modelsDir?: string;
}

const port = parentPort!;
const data = workerData as PoolWorkerData;
const ready = createFaceRecognizer({ numThreads: 1, runtime: data.runtime, modelsDir: data.modelsDir });
ready.then(
  (fr) => port.postMessage({ ready: fr.runtime }),
  (e) => port.postMessage({ ready: false, error: errorOf(e) }),
);

port.on('message', async (job: { id: number; path?: string; close?: boolean }) => {
  const fr = await ready;
  if (job.close) {
    await fr.dispose();
    port.close();
    return;
  }
  try {
    const embedding = await fr.embed(job.path!);
    port.postMessage({ id: job.id, embedding }, [embedding.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: job.id, error: errorOf(e) });
  }
});

/** Errors cross the thread as plain data; FaceError.fromJSON rebuilds them in the pool. */
function errorOf(e: unknown) {
  return toFaceError(e).toJSON();
}
