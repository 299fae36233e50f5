/**
 * Browser entry point.
 *   const fr = await createFaceRecognizer();
 *   const scan = await fr.compareFaces(file1, file2, { channel: 'WEB', reference: '0002' });
 */
import workerUrl from '../workers/recognizer.worker.ts?worker&url';
import { Comlink } from './browser/rpc.js';
import { modelUrls } from './browser/assets.js';
import { toPayload, type ImageInput } from './browser/inputs.js';
import type { BackendInfo, WorkerApi } from './browser/worker-api.js';
import { FaceError, withImage } from './errors.js';
import { parseOptions } from './options.js';
import { AnalyzeOptionsSchema, CompareOptionsSchema, type AnalyzeOptions, type CompareOptions, type CompareResult, type Face } from './schema.js';
import type { StageTimings } from './timing.js';
import { z } from 'zod';

export * from './public.js';
export type { ImageInput } from './browser/inputs.js';
export type { BackendInfo } from './browser/worker-api.js';

export const RecognizerOptionsSchema = z.strictObject({
  /** Folder (URL) holding the .onnx files, for self-hosting; default: the package's bundled models. */
  assetBaseUrl: z.string().optional(),
  /** 'auto' (default): WebGPU when an adapter exists and agrees with wasm, else wasm. */
  backend: z.enum(['auto', 'wasm', 'webgpu']).default('auto'),
  /** Folder (URL) of onnxruntime-web's .wasm files; default: resolved by the bundler. */
  wasmPaths: z.string().optional(),
  /**
   * wasm threads; default: one fewer than the cores, up to 4, when the page is cross-origin
   * isolated (else 1). The spare core keeps decoding and the page responsive: on 2 cores, two
   * ORT threads made a compare 2x slower than one (npm run bench).
   */
  numThreads: z.number().int().min(1).max(16).optional(),
});
export type RecognizerOptions = z.input<typeof RecognizerOptionsSchema>;

export interface FaceRecognizer {
  /** The platform's compare_face scan for two images (main face of each). */
  compareFaces(a: ImageInput, b: ImageInput, options?: CompareOptions): Promise<CompareResult>;
  /** Every face in the image, largest first. */
  analyze(image: ImageInput, options?: AnalyzeOptions): Promise<Face[]>;
  /** Backend in use: threads, cross-origin isolation, model URLs. */
  info(): BackendInfo;
  /** Per-stage milliseconds of the last call, and the raw cosine of the last comparison. */
  readonly last: { timings?: StageTimings; cosine?: number };
  /** Releases the sessions and terminates the worker. */
  dispose(): Promise<void>;
}

/**
 * Starts the recognizer worker through a one-line blob module that imports the bundled worker.
 * Chromium aborts a module worker's script fetch when a service worker answers it from cache (the
 * offline kiosk reload); a blob worker inherits the page's service worker, and its import goes
 * through it. Where blob workers are not allowed (strict CSP), the direct URL is used.
 */
function spawnWorker(): { worker: Worker; release(): void } {
  const url = new URL(workerUrl, globalThis.location?.href).href;
  const opts: WorkerOptions = { type: 'module', name: 'face-recognizer' };
  const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: 'text/javascript' }));
  try {
    return { worker: new Worker(boot, opts), release: () => URL.revokeObjectURL(boot) };
  } catch {
    URL.revokeObjectURL(boot);
    return { worker: new Worker(url, opts), release: () => undefined };
  }
}

export async function createFaceRecognizer(options: RecognizerOptions = {}): Promise<FaceRecognizer> {
  const opts = parseOptions(RecognizerOptionsSchema, options);
  const { worker, release } = spawnWorker();
  const remote = Comlink.wrap<WorkerApi>(worker);
  const isolated = globalThis.crossOriginIsolated === true;
  const numThreads = opts.numThreads ?? Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 1) - 1));
  let info: BackendInfo;
  try {
    info = await remote.init({
      modelUrls: modelUrls(opts.assetBaseUrl),
      numThreads: isolated ? numThreads : 1,
      backend: opts.backend,
      wasmPaths: opts.wasmPaths,
    });
  } catch (e) {
    worker.terminate();
    throw e instanceof FaceError ? e : new FaceError('MODEL_LOAD', `cannot start the recognizer: ${(e as Error).message}`);
  } finally {
    release(); // the worker has loaded (or failed): the bootstrap URL is no longer needed
  }
  let disposed = false;
  const last: FaceRecognizer['last'] = {};
  const live = () => {
    if (disposed) throw new FaceError('DISPOSED', 'this recognizer was disposed');
  };
  const payload = async (input: ImageInput, i: number) => toPayload(input).catch((e) => { throw withImage(e, i); });

  return {
    async compareFaces(a, b, options) {
      live();
      parseOptions(CompareOptionsSchema, options); // fail fast on the page, before any transfer
      const [pa, pb] = await Promise.all([payload(a, 1), payload(b, 2)]);
      const { value, timings } = await remote.compare(
        Comlink.transfer(pa.payload, pa.transfer),
        Comlink.transfer(pb.payload, pb.transfer),
        options,
      );
      const { cosine, ...result } = value;
      Object.assign(last, { timings, cosine });
      return result;
    },
    async analyze(image, options) {
      live();
      parseOptions(AnalyzeOptionsSchema, options);
      const p = await payload(image, 1);
      const { value, timings } = await remote.analyze(Comlink.transfer(p.payload, p.transfer), options);
      Object.assign(last, { timings, cosine: undefined });
      return value;
    },
    info: () => info,
    last,
    async dispose() {
      if (disposed) return;
      disposed = true;
      try {
        await remote.dispose();
      } finally {
        remote[Comlink.releaseProxy]();
        worker.terminate();
      }
    },
  };
}
