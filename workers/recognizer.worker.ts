/// <reference lib="webworker" />
// The recognizer worker on onnxruntime-web's wasm-only build: only wiring. The pipeline lives in src/.
import * as ort from 'onnxruntime-web/wasm';
import { startWorker } from './start.js';
import type { Ort } from '../src/runtime/session.js';

startWorker({ wasm: async () => ort as unknown as Ort });
