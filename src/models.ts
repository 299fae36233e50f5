import type * as OrtModule from 'onnxruntime-web';
import { FaceError } from './errors.js';
import { MODELS, type ModelInfo, type ModelName } from './manifest.js';

/**
 * The onnxruntime-web module in use. Node passes its default build; the worker passes the
 * wasm-only build (14 MB of wasm) or, for WebGPU, the JSEP build (28 MB), whichever it chose.
 */
export type Ort = typeof OrtModule;

/** Where model bytes come from: files in Node, fetch (or a cache) in the browser. */
export type ModelLoader = (info: ModelInfo, name: ModelName) => Promise<Uint8Array>;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SessionOptions {
  ort: Ort;
  /** Execution providers per model, best first (default: wasm for all). */
  executionProviders?: (name: ModelName) => string[];
}

/** One ONNX session with the model's single input name. */
export class Model {
  private constructor(
    readonly name: ModelName,
    readonly executionProvider: string,
    private readonly ort: Ort,
    private readonly session: OrtModule.InferenceSession,
    private readonly inputName: string,
  ) {}

  static async load(name: ModelName, loader: ModelLoader, opts: SessionOptions): Promise<Model> {
    const info = MODELS[name];
    let bytes: Uint8Array;
    try {
      bytes = await loader(info, name);
    } catch (e) {
      throw new FaceError('MODEL_LOAD', `cannot load model ${info.file}: ${(e as Error).message}`, { model: name });
    }
    const got = await sha256Hex(bytes);
    if (got !== info.sha256) {
      throw new FaceError('MODEL_INTEGRITY', `model ${info.file} has sha256 ${got}, expected ${info.sha256}`, { model: name });
    }
    const eps = opts.executionProviders?.(name) ?? ['wasm'];
    try {
      const session = await opts.ort.InferenceSession.create(bytes, { executionProviders: eps, graphOptimizationLevel: 'all' });
      return new Model(name, eps[0], opts.ort, session, session.inputNames[0]);
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
