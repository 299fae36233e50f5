/** Where the Node recognizer finds its models, and the bare engine over them (the CLI's pool and tools/ use it). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { FaceEngine } from '../engine/face-engine.js';
import type { ModelLoader, SessionOptions } from '../runtime/session.js';

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
