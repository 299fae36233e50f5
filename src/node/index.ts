/**
 * Node entry point: the same pipeline in-process, images decoded with sharp, models read from disk.
 *   import { createFaceRecognizer } from 'face-compare-sdk/node';
 * @module face-compare-sdk/node
 */
import { FaceError } from '../contract/errors.js';
import { parseOptions, RecognizerOptionsSchema, type RecognizerOptions } from '../contract/options.js';
import { analyzedFrame } from '../engine/face-engine.js';
import { jobQueue } from '../engine/jobs.js';
import { createRecognizerCalls, type RecognizerCalls } from '../engine/recognizer.js';
import type { PreparedImage } from '../pipeline/prepared.js';
import { decodeNodeImage, type NodeImageInput } from './decode.js';
import { createNodeEngine } from './models.js';
import { loadNodeRuntime, type NodeRuntimeName } from './runtime.js';

export * from '../contract/index.js';
export type { NodeImageInput } from './decode.js';
export type { NodeRuntimeName } from './runtime.js';

/** The Node recognizer: the browser's calls on file paths, encoded bytes or RGBA buffers. */
export interface NodeFaceRecognizer extends RecognizerCalls<NodeImageInput> {
  /** The ONNX runtime in use: 'onnxruntime-node' when installed (option `runtime`), else 'onnxruntime-web'. */
  readonly runtime: NodeRuntimeName;
  /**
   * Threads per model run. Per recognizer on onnxruntime-node; on onnxruntime-web the first
   * recognizer's `numThreads` holds for the whole process (its wasm starts once).
   */
  readonly threads: number;
}

export async function createFaceRecognizer(options: RecognizerOptions = {}): Promise<NodeFaceRecognizer> {
  const opts = parseOptions(RecognizerOptionsSchema, options);
  if (opts.backend === 'webgpu') throw new FaceError('INVALID_OPTIONS', "backend: 'webgpu' is browser-only; Node runs on the CPU");
  const runtime = await loadNodeRuntime(opts.runtime, opts.numThreads ?? 1);
  const engine = await createNodeEngine(opts.modelsDir, runtime);
  const jobs = jobQueue();
  const calls = createRecognizerCalls<NodeImageInput, PreparedImage>({
    prepare: decodeNodeImage,
    runner: {
      compare: (a, b, o, id) => jobs.run(id, () => engine.compare(a, b, o)),
      analyze: async (p, o, id) => {
        const { value, timings } = await jobs.run(id, () => engine.analyze(p, o));
        return { value: analyzedFrame(value, o), timings };
      },
      liveness: (p, o, id) => jobs.run(id, () => engine.liveness(p, o)),
      embed: (p, o, id) => jobs.run(id, () => engine.faceEmbedding(p, o)),
      cancel: (id) => jobs.cancel(id),
    },
    // Queued jobs stop at their start (their calls were rejected), the running one ends first.
    release: () => jobs.last(() => engine.dispose()),
  });
  return { ...calls, runtime: runtime.name, threads: runtime.threads };
}
