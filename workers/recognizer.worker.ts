/// <reference lib="webworker" />
// The recognizer worker: only wiring. The pipeline lives in src/.
import { Comlink } from '../src/browser/rpc.js';
import { createWorkerApi } from '../src/browser/worker-api.js';

Comlink.expose(createWorkerApi());
