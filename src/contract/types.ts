/** Plain data types of the public API that are not zod schemas. */
import type { FaceLiveness, LivenessResult } from './liveness.js';
import type { CompareResult, Face } from './result.js';

/** An RGBA image, 8 bits per channel, rows top to bottom (the layout of ImageData). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Milliseconds spent per pipeline stage in one call. */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  attributes: number;
  /** Liveness crop and model (0 when liveness was not asked for). */
  liveness: number;
}

/** A call's value with its own stage timings. */
export interface Timed<T> {
  value: T;
  timings: StageTimings;
}

/** Options every call accepts besides its own: the caller's cancellation. Stripped before zod sees the rest. */
export interface RecognizerCallOptions {
  /** Aborting it rejects the call with ABORTED; a call still queued never runs. */
  signal?: AbortSignal;
}

/** Counters of one recognizer's calls, for monitoring (FaceRecognizer.stats()). */
export interface CallStats {
  /** Calls started and not yet settled. */
  pending: number;
  /** Calls that resolved or rejected on their own. */
  settled: number;
  /** Calls rejected with ABORTED by their signal. */
  aborted: number;
  /** Of those, calls whose job never started (it was still queued when the abort came). */
  skipped: number;
  /** Browser: workers started after the first one (each after a crash, or restart()). Node: 0. */
  restarts: number;
}

/** One comparison with what the platform JSON does not carry: the raw cosine and the stage timings. */
export interface CompareDetails {
  /** Exactly the platform's compare_face JSON. */
  scan: CompareResult;
  /** Cosine of the two embeddings (compare_similarity is its calibrated mapping). */
  cosine: number;
  /** Milliseconds per stage of this call. */
  timings: StageTimings;
}

/** One analysis with its stage timings. */
export interface AnalyzeDetails {
  faces: Face[];
  timings: StageTimings;
  /**
   * With `{ liveness: true }` only: each face's liveness, in the order of `faces` (`liveness[i]` is
   * `faces[i]`'s), scored on the same detection (no second detection). The `Face` objects stay the
   * platform's shape.
   */
  liveness?: FaceLiveness[];
}

/** One analysis as the engine returns it to a recognizer: the faces and, when asked, their liveness. */
export interface AnalyzedFrame {
  faces: Face[];
  liveness?: FaceLiveness[];
}

/** One liveness check with its stage timings. */
export interface LivenessDetails extends LivenessResult {
  timings: StageTimings;
}

/** The models every recognizer loads at start-up. */
export type StartupModelName = 'fr_detect' | 'fr_landmark' | 'fr_feature' | 'fr_eye';
/** Models loaded on first use only (liveness). */
export type LazyModelName = 'fr_liveness';
/** Every model the SDK can load. */
export type ModelName = StartupModelName | LazyModelName;

/** Where a model's bytes came from: the sha256-keyed cache, the network, or the network after a bad cached copy. */
export type ModelSource = 'cache' | 'network' | 'refetch';

/** The browser recognizer's backend (`fr.info()`). */
export interface BackendInfo {
  backend: 'wasm' | 'webgpu';
  /** Execution provider of each model (on WebGPU the tiny eye model stays on wasm). */
  executionProviders: Record<StartupModelName, string>;
  threads: number;
  crossOriginIsolated: boolean;
  models: Record<StartupModelName, string>;
  /** Why WebGPU is not in use, when it was asked for or 'auto' found none that works. */
  fallbackReason?: string;
  /** Cosine between WebGPU and wasm embeddings of the start-up probe (WebGPU only). */
  webgpuAgreement?: number;
  /** Start-up milliseconds: runtime (load the onnxruntime module), compile (its wasm: fetch, compile, instantiate), sessions (each model in `models`: fetch, verify, create), warmUp. */
  startup: { runtime: number; compile: number; sessions: number; warmUp: number; models: Record<string, { fetch: number; verify: number; create: number }> };
  /** Where each model file (by file name) came from this start-up. */
  modelSources: Record<string, ModelSource>;
}
