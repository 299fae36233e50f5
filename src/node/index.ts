/**
 * Node entry point: the same pipeline in-process, images decoded with sharp, models read from disk.
 *   import { createFaceRecognizer } from 'face-compare-sdk/node';
 * @module face-compare-sdk/node
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { FaceError, withImage } from '../contract/errors.js';
import { AnalyzeOptionsSchema, CompareOptionsSchema, LivenessOptionsSchema, parseOptions, RecognizerOptionsSchema, type AnalyzeOptions, type CompareOptions, type RecognizerOptions } from '../contract/options.js';
import type { CompareResult, Face } from '../contract/result.js';
import type { LivenessOptions } from '../contract/options.js';
import type { LivenessResult } from '../contract/liveness.js';
import type { AnalyzeDetails, CompareDetails, LivenessDetails } from '../contract/types.js';
import { FaceEngine, type PreparedImage } from '../pipeline/engine.js';
import { serialQueue } from '../runtime/queue.js';
import { CallTracker, splitSignal, type CallStats, type RecognizerCallOptions } from '../runtime/calls.js';
import type { ModelLoader, SessionOptions } from '../runtime/session.js';
import { loadNodeRuntime, type NodeRuntimeName } from './runtime.js';
import { Stopwatch, type StageTimings, type Timed } from '../runtime/timing.js';
import { decodeNodeImage, type NodeImageInput } from './decode.js';

export * from '../public.js';
export { decodeNodeImage, type NodeImageInput } from './decode.js';

/** Options of the Node recognizer: the shared RecognizerOptions (Node reads numThreads, backend, modelsDir and runtime). */
export type NodeRecognizerOptions = RecognizerOptions;

/** One comparison with the raw cosine and this call's stage timings (the browser's CompareDetails). */
export type NodeCompareDetails = CompareDetails;

export interface NodeFaceRecognizer {
  compareFaces(a: NodeImageInput, b: NodeImageInput, options?: CompareOptions & RecognizerCallOptions): Promise<CompareResult>;
  /** compareFaces plus the raw cosine and this call's stage timings. */
  compare(a: NodeImageInput, b: NodeImageInput, options?: CompareOptions & RecognizerCallOptions): Promise<NodeCompareDetails>;
  /** The same as compare(), under its earlier name and shape (`result` for `scan`). */
  compareDetailed(a: NodeImageInput, b: NodeImageInput, options?: CompareOptions & RecognizerCallOptions): Promise<{ result: CompareResult; cosine: number; timings: StageTimings }>;
  analyze(image: NodeImageInput, options?: AnalyzeOptions & RecognizerCallOptions): Promise<Face[]>;
  /** analyze plus this call's stage timings. */
  analyzeDetailed(image: NodeImageInput, options?: AnalyzeOptions & RecognizerCallOptions): Promise<AnalyzeDetails>;
  /** Is the main face a live person or a printed photo (docs/liveness.md)? The first call loads the liveness model. */
  liveness(image: NodeImageInput, options?: LivenessOptions & RecognizerCallOptions): Promise<LivenessResult>;
  /** liveness plus this call's stage timings. */
  livenessDetailed(image: NodeImageInput, options?: LivenessOptions & RecognizerCallOptions): Promise<LivenessDetails>;
  /** Counters of this recognizer's calls: pending, settled, aborted, skipped (aborted before they started). */
  stats(): CallStats;
  /** Face embedding (512-d, L2-normalised) of an image's main face. */
  embed(image: NodeImageInput, options?: AnalyzeOptions): Promise<Float32Array>;
  /** The ONNX runtime in use: 'onnxruntime-node' when installed (option `runtime`), else 'onnxruntime-web'. */
  readonly runtime: NodeRuntimeName;
  dispose(): Promise<void>;
}

/** The models: dist/assets/ in the package (from dist/node/), the repo's models/ from src/node/ (tsx). */
const MODEL_DIRS = ['../assets', '../../models'].map((rel) => join(dirname(fileURLToPath(import.meta.url)), rel));
export const DEFAULT_MODELS_DIR = MODEL_DIRS.find((dir) => existsSync(join(dir, 'manifest.json'))) ?? MODEL_DIRS[1]!;

export function fileModelLoader(dir: string): ModelLoader {
  return async (info) => new Uint8Array(await readFile(join(dir, info.file)));
}

/** The bare pipeline engine, models from `dir`; on Node's onnxruntime-web build unless a runtime is given (node/runtime.ts). */
export function createNodeEngine(dir = DEFAULT_MODELS_DIR, runtime: SessionOptions = { ort }): Promise<FaceEngine> {
  return FaceEngine.create({ ...runtime, loader: fileModelLoader(dir) });
}

export async function createFaceRecognizer(options: NodeRecognizerOptions = {}): Promise<NodeFaceRecognizer> {
  const opts = parseOptions(RecognizerOptionsSchema, options);
  if (opts.backend === 'webgpu') throw new FaceError('INVALID_OPTIONS', "backend: 'webgpu' is browser-only; Node runs on the CPU");
  const runtime = await loadNodeRuntime(opts.runtime, opts.numThreads ?? 1);
  const engine = await createNodeEngine(opts.modelsDir, runtime);
  let disposed = false;
  const live = () => {
    if (disposed) throw new FaceError('DISPOSED', 'this recognizer was disposed');
  };
  const decodeAt = async (input: NodeImageInput, index: number) => {
    try {
      return await decodeNodeImage(input);
    } catch (e) {
      throw withImage(e, index);
    }
  };

  const serial = serialQueue();
  // `{ signal }`: the same semantics as the browser (runtime/calls.ts); a queued job checks before it starts.
  const calls = new CallTracker();
  /**
   * One engine call: options checked before any decode (as in the browser), the inputs decoded, the
   * job queued in call order (an abort before it starts means it never runs), decode time added.
   */
  const engineCall = async <O extends object, T>(
    schema: Parameters<typeof parseOptions>[0],
    callOptions: (O & RecognizerCallOptions) | undefined,
    inputs: NodeImageInput[],
    run: (images: PreparedImage[], options: O | undefined) => Promise<Timed<T>>,
  ): Promise<Timed<T>> => {
    live();
    const { signal, options } = splitSignal<O>(callOptions);
    parseOptions(schema, options);
    return calls.run(signal, async ({ checkpoint, inTurn }) => {
      const sw = new Stopwatch();
      const images = await Promise.all(inputs.map((input, i) => decodeAt(input, i + 1)));
      const decode = sw.lap();
      const { value, timings } = await inTurn(() => serial(() => { checkpoint(true); return run(images, options); }));
      return { value, timings: { ...timings, decode } };
    });
  };

  const compare: NodeFaceRecognizer['compare'] = async (a, b, callOptions) => {
    const { value, timings } = await engineCall(CompareOptionsSchema, callOptions, [a, b], ([pa, pb], options) => engine.compare(pa!, pb!, options));
    return { scan: value.scan, cosine: value.cosine, timings };
  };
  const analyzeDetailed: NodeFaceRecognizer['analyzeDetailed'] = async (image, callOptions) => {
    const { value, timings } = await engineCall(AnalyzeOptionsSchema, callOptions, [image], ([p], options) => engine.analyze(p!, options));
    return { faces: value.map((f) => f.face), timings };
  };
  const livenessDetailed: NodeFaceRecognizer['livenessDetailed'] = async (image, callOptions) => {
    const { value, timings } = await engineCall(LivenessOptionsSchema, callOptions, [image], ([p], options) =>
      engine.liveness(p!, options).catch((e) => { throw withImage(e, 1); }));
    return { ...value, timings };
  };

  return {
    runtime: runtime.name,
    livenessDetailed,
    liveness: async (image, options) => {
      const { timings: _timings, ...result } = await livenessDetailed(image, options);
      return result;
    },
    compare,
    compareDetailed: async (a, b, options) => {
      const { scan, cosine, timings } = await compare(a, b, options);
      return { result: scan, cosine, timings };
    },
    compareFaces: async (a, b, options) => (await compare(a, b, options)).scan,
    analyzeDetailed,
    analyze: async (image, options) => (await analyzeDetailed(image, options)).faces,
    embed: async (image, options) => {
      live();
      const p = await decodeAt(image, 1);
      return serial(async () => {
        const face = await engine.mainFace(p, options).catch((e) => { throw withImage(e, 1); });
        return engine.embed(face.value.alignedTensor);
      });
    },
    stats: () => calls.snapshot(),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      // Pending calls get DISPOSED now; queued jobs then stop at their checkpoint, the running one ends.
      calls.rejectAll(new FaceError('DISPOSED', 'the recognizer was disposed during this call'));
      await serial(() => engine.dispose());
    },
  };
}
