/**
 * Picks the inference backend inside the worker: WebGPU when an adapter exists and its outputs
 * agree with wasm, else wasm (SIMD, threads when cross-origin isolated). Never a silent wrong answer:
 * a WebGPU build whose embedding drifts from the CPU one is not used.
 */
import { FaceEngine } from '../engine/face-engine.js';
import type { ModelName } from '../runtime/manifest.js';
import { Model, type ModelLoader, type Ort } from '../runtime/session.js';
import { cosine } from '../pipeline/similarity.js';
import { ALIGN_SIZE } from '../pipeline/align.js';
import type { BackendChoice } from '../contract/options.js';
import { webGpuUnavailable } from './webgpu.js';

/** Models worth a GPU: the big convolutions. The 24x24 eye model stays on wasm (launch overhead). */
const GPU_MODELS: ReadonlySet<ModelName> = new Set(['fr_detect', 'fr_landmark', 'fr_feature']);

/** Minimum cosine between WebGPU and wasm embeddings of the probe input (fp32 both sides). */
const WEBGPU_AGREEMENT = 0.9999;

export interface BackendResult {
  engine: FaceEngine;
  backend: 'wasm' | 'webgpu';
  /** Why WebGPU was not used, when it was asked for or 'auto' and could not be. */
  fallbackReason?: string;
  /** Cosine between the WebGPU and wasm embeddings of the probe, when WebGPU was checked. */
  webgpuAgreement?: number;
  /** Milliseconds to load and compile onnxruntime's wasm runtime. */
  runtimeMs: number;
}

/**
 * The onnxruntime-web builds this worker carries. Each prebuilt worker bundles exactly one build
 * (its pthreads re-load the worker script, which must start that same build): the wasm worker the
 * wasm-only one, the WebGPU worker the asyncify one, which also runs the wasm provider.
 */
export interface OrtRuntimes {
  wasm: () => Promise<Ort>;
  /** Absent in the wasm worker: WebGPU then falls back with a reason. */
  webgpu?: () => Promise<Ort>;
}

export interface BackendConfig {
  choice: BackendChoice;
  numThreads: number;
  /** onnxruntime-web's `env.wasm.wasmPaths`: a folder, or `{ wasm }`, the .wasm file's URL. */
  wasmPaths?: string | { wasm: string };
  loader: ModelLoader;
  runtimes: OrtRuntimes;
  /** Called before each model's session is created and before the warm-up. */
  onStage?: (stage: 'compile' | 'warmup', model?: string) => void;
}

function configure(ort: Ort, cfg: BackendConfig): void {
  ort.env.wasm.numThreads = cfg.numThreads;
  if (cfg.wasmPaths) ort.env.wasm.wasmPaths = cfg.wasmPaths;
}

/** A deterministic probe: a smooth pattern in the embedder's input range, same on every device. */
function probeTensor(): Float32Array {
  const n = ALIGN_SIZE * ALIGN_SIZE;
  const t = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) {
      const x = i % ALIGN_SIZE, y = (i / ALIGN_SIZE) | 0;
      t[c * n + i] = Math.sin(x * 0.11 + c) * Math.cos(y * 0.07 - c) * 0.8;
    }
  }
  return t;
}

async function tryWebGpu(cfg: BackendConfig): Promise<BackendResult> {
  const unavailable = await webGpuUnavailable();
  if (unavailable) throw new Error(unavailable);
  if (!cfg.runtimes.webgpu) throw new Error('this worker carries no WebGPU runtime');
  const t0 = performance.now();
  const ort = await cfg.runtimes.webgpu();
  configure(ort, cfg);
  const runtimeMs = performance.now() - t0;
  const engine = await FaceEngine.create({
    ort,
    loader: cfg.loader,
    onStage: cfg.onStage,
    executionProviders: (name) => (GPU_MODELS.has(name) ? ['webgpu'] : ['wasm']),
  });
  try {
    const cpu = await Model.load('fr_feature', cfg.loader, { ort, executionProviders: () => ['wasm'] });
    const probe = probeTensor();
    const [g, c] = [await engine.embed(probe), (await cpu.run(probe, [1, 3, ALIGN_SIZE, ALIGN_SIZE])).output];
    await cpu.release();
    const agreement = cosine(g, c);
    if (!(agreement >= WEBGPU_AGREEMENT)) throw new Error(`WebGPU embedding disagrees with wasm (cosine ${agreement.toFixed(6)})`);
    return { engine, backend: 'webgpu', webgpuAgreement: agreement, runtimeMs };
  } catch (e) {
    await engine.dispose();
    throw e;
  }
}

export async function createBackend(cfg: BackendConfig): Promise<BackendResult> {
  let fallbackReason: string | undefined;
  if (cfg.choice !== 'wasm') {
    try {
      return await tryWebGpu(cfg);
    } catch (e) {
      fallbackReason = `WebGPU not used: ${(e as Error).message}`;
    }
  }
  const t0 = performance.now();
  const ort = await cfg.runtimes.wasm();
  configure(ort, cfg);
  const runtimeMs = performance.now() - t0;
  // With a thread pool, its threads stop spinning when a run ends: a spinning thread holds a core
  // the decoder and the pipeline's own JavaScript need between model runs.
  const sessionOptions = cfg.numThreads > 1 ? { extra: { session: { force_spinning_stop: '1' } } } : undefined;
  const engine = await FaceEngine.create({ ort, loader: cfg.loader, onStage: cfg.onStage, sessionOptions });
  return { engine, backend: 'wasm', fallbackReason, runtimeMs };
}
