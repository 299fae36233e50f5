/**
 * Which ONNX runtime the Node recognizer runs on: onnxruntime-node (native CPU kernels, an optional
 * peer dependency the app installs, whose CPU build ships inside its npm package) when it can be
 * imported, else onnxruntime-web's wasm build, as before. Both load the same .onnx files and give the same answers
 * (test/node-runtime.test.ts: cosines within 1e-4).
 */
import * as ortWeb from 'onnxruntime-web';
import { FaceError } from '../contract/errors.js';
import type { Ort, SessionOptions } from '../runtime/session.js';

export type NodeRuntimeName = 'onnxruntime-node' | 'onnxruntime-web';
export type NodeRuntimeChoice = 'auto' | NodeRuntimeName;

export interface NodeRuntime extends SessionOptions {
  name: NodeRuntimeName;
  /** Threads each model run uses with this runtime. */
  threads: number;
}

/**
 * onnxruntime-web reads `env.wasm.numThreads` once, when its wasm starts (the first session in the
 * process): its thread count is process-wide, the first recognizer's. onnxruntime-node's is per
 * session, so per recognizer.
 */
let webThreads: number | undefined;

// A variable specifier: the package is an optional peer, so neither tsc nor the bundler may require it.
const NATIVE = 'onnxruntime-node';

/** The runtime for `choice`, with `numThreads` threads per session. */
export async function loadNodeRuntime(choice: NodeRuntimeChoice = 'auto', numThreads = 1): Promise<NodeRuntime> {
  if (choice !== 'onnxruntime-web') {
    try {
      const mod = (await import(NATIVE)) as Ort & { default?: Ort };
      const ort = (mod.InferenceSession ? mod : mod.default) as Ort;
      return {
        name: 'onnxruntime-node',
        ort,
        threads: numThreads,
        executionProviders: () => ['cpu'],
        // One pool per session, sized like the wasm build's: a worker pool (cli batch) sets 1 per worker.
        sessionOptions: { intraOpNumThreads: numThreads, interOpNumThreads: 1 },
      };
    } catch (e) {
      if (choice === 'onnxruntime-node') {
        throw new FaceError('MODEL_LOAD', `runtime 'onnxruntime-node' asked for but it cannot be loaded: ${(e as Error).message}`);
      }
    }
  }
  webThreads ??= numThreads;
  ortWeb.env.wasm.numThreads = webThreads;
  return { name: 'onnxruntime-web', ort: ortWeb as unknown as Ort, threads: webThreads };
}
