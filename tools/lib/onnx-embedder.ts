/** A one-input, one-output embedder model on onnxruntime-web's wasm EP, for the evaluation scripts. */
import * as ort from 'onnxruntime-web';

export interface EmbedderModel {
  /** The model's output for one NCHW tensor, as the graph gives it (no normalisation added). */
  embed(tensor: Float32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface EmbedderSpec {
  input: string;
  output: string;
  /** Input dims, e.g. [1, 3, 112, 112]. */
  dims: number[];
  /** Expected output length; a mismatch throws (a stale or wrong model file). */
  outputSize?: number;
}

/** A session from model bytes or a file path. */
export async function loadOnnxEmbedder(model: Uint8Array | string, spec: EmbedderSpec): Promise<EmbedderModel> {
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  // Two calls, not one: create()'s overloads take a path or bytes, not their union.
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  return {
    async embed(tensor) {
      const out = await session.run({ [spec.input]: new ort.Tensor('float32', tensor, spec.dims) });
      const d = out[spec.output];
      if (spec.outputSize !== undefined && d.size !== spec.outputSize) throw new Error(`${spec.output}: ${d.size} outputs, expected ${spec.outputSize}`);
      const v = Float32Array.from(d.data as Float32Array);
      d.dispose();
      return v;
    },
    release: () => session.release(),
  };
}
