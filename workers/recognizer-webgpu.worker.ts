/// <reference lib="webworker" />
// The recognizer worker on onnxruntime-web's WebGPU (asyncify) build, which also runs the wasm
// provider (its fallback). Started only when the page found a WebGPU adapter: 26.8 MB of wasm.
import * as ort from 'onnxruntime-web/webgpu';
import { startWorker } from './start.js';
import type { Ort } from '../src/runtime/session.js';

const runtime = async () => ort as unknown as Ort;
startWorker({ wasm: runtime, webgpu: runtime });
