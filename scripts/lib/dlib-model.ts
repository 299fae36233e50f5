/** An onnxruntime-web session on models/dlib_resnet.onnx (made by scripts/convert-dlib-resnet.ts). */
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { DLIB_DIM, DLIB_INPUT, DLIB_INPUT_SIZE, DLIB_OUTPUT } from './dlib-resnet-onnx.js';
import { REPO_ROOT } from './face-api-package.js';

export const DLIB_MODEL_PATH = join(REPO_ROOT, 'models', 'dlib_resnet.onnx');

export interface DlibModel {
  /** The 128-d descriptor of one chip tensor (NCHW [1, 3, 150, 150], normalised). Not L2-normalised: dlib compares raw descriptors by Euclidean distance. */
  embed(chip: Float32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

/** A session from model bytes or a file path, on the wasm EP. */
export async function loadDlibModel(model: Uint8Array | string = DLIB_MODEL_PATH): Promise<DlibModel> {
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  const dims = [1, 3, DLIB_INPUT_SIZE, DLIB_INPUT_SIZE];
  return {
    async embed(chip) {
      const out = await session.run({ [DLIB_INPUT]: new ort.Tensor('float32', chip, dims) });
      const d = out[DLIB_OUTPUT];
      if (d.size !== DLIB_DIM) throw new Error(`dlib model: ${d.size} outputs, expected ${DLIB_DIM}`);
      const v = Float32Array.from(d.data as Float32Array);
      d.dispose();
      return v;
    },
    release: () => session.release(),
  };
}

export function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
