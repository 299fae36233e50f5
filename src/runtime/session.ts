/** One ONNX session per model: load bytes, verify their sha256 against the manifest, run float tensors. */
import type * as OrtModule from 'onnxruntime-web';
import { FaceError } from '../contract/errors.js';
import { MODELS, type ModelInfo, type ModelName } from './manifest.js';

/**
 * The onnxruntime-web module in use. Node passes its default build; the worker passes the
 * wasm-only build (14.2 MB of wasm) or, for WebGPU, the asyncify build (26.8 MB), whichever it chose.
 */
export type Ort = typeof OrtModule;

/** Where model bytes come from: files in Node, fetch (or a cache) in the browser. */
export type ModelLoader = (info: ModelInfo, name: ModelName) => Promise<Uint8Array>;

/**
 * Bytes a loader has just hashed and found equal to their pinned sha256 (the model cache does, for a
 * cached copy and for fresh downloads), so Model.load does not hash the same buffer a second time:
 * 8–31 ms of start-up for the four models in Chromium. Keyed by the buffer itself, never by name.
 */
const verifiedBytes = new WeakMap<Uint8Array, string>();
export function markVerified(bytes: Uint8Array, sha256: string): void {
  verifiedBytes.set(bytes, sha256);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SessionOptions {
  ort: Ort;
  /** Execution providers per model, best first (default: wasm for all). */
  executionProviders?: (name: ModelName) => string[];
  /** More onnxruntime session options (Node's native runtime: intra-op threads). */
  sessionOptions?: Record<string, unknown>;
}

/** Milliseconds one model took to load: waiting for its bytes, checking their sha256, creating the session. */
export interface ModelLoadTimings {
  fetch: number;
  verify: number;
  create: number;
}

/** An 82-byte ONNX model (one Identity node): its session costs only the runtime's own start. */
const IDENTITY_MODEL = 'CAgSAXA6RQocCgF4EgF5GgpJZGVudGl0eV8wIghJZGVudGl0eRIBZ1IAWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

/**
 * Starts onnxruntime (on the web build: fetch, compile and instantiate its .wasm, create its thread
 * pool) without waiting for any model: done first, it overlaps the models' downloads and shows
 * apart in the start-up split.
 */
export async function initRuntime(ort: Ort, executionProviders: string[]): Promise<void> {
  const bytes = Uint8Array.from(atob(IDENTITY_MODEL), (c) => c.charCodeAt(0));
  try {
    await (await ort.InferenceSession.create(bytes, { executionProviders })).release();
  } catch (e) {
    throw new FaceError('MODEL_LOAD', `cannot start onnxruntime: ${(e as Error).message}`);
  }
}

/** One ONNX session with the model's single input name. */
export class Model {
  private constructor(
    readonly name: ModelName,
    readonly executionProvider: string,
    private readonly ort: Ort,
    private readonly session: OrtModule.InferenceSession,
    private readonly inputName: string,
    readonly loadTimings: ModelLoadTimings,
  ) {}

  static async load(name: ModelName, loader: ModelLoader, opts: SessionOptions): Promise<Model> {
    const info = MODELS[name];
    const t0 = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await loader(info, name);
    } catch (e) {
      throw new FaceError('MODEL_LOAD', `cannot load model ${info.file}: ${(e as Error).message}`, { model: name });
    }
    const t1 = performance.now();
    const got = verifiedBytes.get(bytes) ?? (await sha256Hex(bytes));
    if (got !== info.sha256) {
      throw new FaceError('MODEL_INTEGRITY', `model ${info.file} has sha256 ${got}, expected ${info.sha256}`, { model: name });
    }
    const eps = opts.executionProviders?.(name) ?? ['wasm'];
    const t2 = performance.now();
    try {
      const session = await opts.ort.InferenceSession.create(bytes, { ...opts.sessionOptions, executionProviders: eps, graphOptimizationLevel: 'all' });
      return new Model(name, eps[0], opts.ort, session, session.inputNames[0], { fetch: t1 - t0, verify: t2 - t1, create: performance.now() - t2 });
    } catch (e) {
      throw new FaceError('MODEL_LOAD', `cannot create a session for ${info.file} on ${eps.join('/')}: ${(e as Error).message}`, { model: name });
    }
  }

  /** Runs the model on one NCHW float tensor and returns every output's data by name. */
  async run(data: Float32Array, dims: readonly number[]): Promise<Record<string, Float32Array>> {
    const input = new this.ort.Tensor('float32', data, dims);
    const out = await this.session.run({ [this.inputName]: input });
    const res: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(out)) {
      // getData() downloads GPU-resident outputs; on wasm it is the CPU buffer itself.
      res[k] = (await v.getData()) as Float32Array;
      v.dispose();
    }
    return res;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
