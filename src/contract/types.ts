/** Plain data types of the public API that are not zod schemas. */
import type { LivenessResult } from './liveness.js';
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
}

/** One liveness check with its stage timings. */
export interface LivenessDetails extends LivenessResult {
  timings: StageTimings;
}
