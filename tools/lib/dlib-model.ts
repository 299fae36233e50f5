/** An onnxruntime-web session on models/dlib_resnet.onnx (made by tools/convert/convert-dlib-resnet.ts). */
import { join } from 'node:path';
import { DLIB_DIM, DLIB_INPUT, DLIB_INPUT_SIZE, DLIB_OUTPUT } from './dlib-resnet-onnx.js';
import { REPO_ROOT } from './face-api-package.js';
import { loadOnnxEmbedder, type EmbedderModel } from './onnx-embedder.js';

export const DLIB_MODEL_PATH = join(REPO_ROOT, 'models', 'dlib_resnet.onnx');

/**
 * The 128-d descriptor of one chip tensor (NCHW [1, 3, 150, 150], normalised). Not L2-normalised:
 * dlib compares raw descriptors by Euclidean distance.
 */
export type DlibModel = EmbedderModel;

/** A session from model bytes or a file path, on the wasm EP. */
export function loadDlibModel(model: Uint8Array | string = DLIB_MODEL_PATH): Promise<DlibModel> {
  return loadOnnxEmbedder(model, { input: DLIB_INPUT, output: DLIB_OUTPUT, dims: [1, 3, DLIB_INPUT_SIZE, DLIB_INPUT_SIZE], outputSize: DLIB_DIM });
}

export function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
