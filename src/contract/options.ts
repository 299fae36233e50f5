/** Options of every call, as zod schemas: one source for validation, types and defaults, browser and Node alike. */
import { z } from 'zod';
import { FaceError, formatIssues } from './errors.js';
import { LIVENESS_CHECKS } from './liveness.js';

export const CHANNELS = ['WEB', 'MOBILE', 'OTHER'] as const;

/** `backend` of createFaceRecognizer: WebGPU when it works ('auto'), or one of the two for sure. */
export const BACKEND_CHOICES = ['auto', 'wasm', 'webgpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** How faces are found: the options every call shares. */
const FaceSearchSchema = z.strictObject({
  /** Face score below which detections are dropped (0–1). */
  minScore: z.number().min(0).max(1).optional(),
  /** Refuse images with more than one face (MULTIPLE_FACES) instead of taking the main one. */
  rejectMultipleFaces: z.boolean().optional(),
});

/** Options of one analysis. */
export const AnalyzeOptionsSchema = FaceSearchSchema.extend({
  /**
   * Also score each face found for liveness (a live person or a printed photo, docs/liveness.md), on
   * the same detection: `analyzeDetailed` then returns `liveness`, one entry per face. Default off;
   * `analyze` and `embed` ignore it (their results have no place for it).
   */
  liveness: z.boolean().optional(),
  /** Live-score threshold of that check; default LIVENESS_THRESHOLD. */
  livenessThreshold: z.number().min(0).max(1).optional(),
});

export const CompareOptionsSchema = FaceSearchSchema.extend({
  channel: z.enum(CHANNELS).default('WEB'),
  reference: z.string().max(256).default(''),
  /** Decision threshold on compare_similarity; the platform's is 0.7. */
  threshold: z.number().min(0).max(1).optional(),
  /**
   * Refuse (LOW_QUALITY) instead of answering when either face's face_quality is below this (0–1).
   * Off by default, like the platform; docs/accuracy.md measures what each value costs and saves.
   */
  minQuality: z.number().min(0).max(1).optional(),
  /**
   * Check liveness (prints and screens) before comparing: 'image2' (the live capture), 'both', or 'off'
   * (default). A checked face below the liveness threshold fails with SPOOF_SUSPECTED (docs/liveness.md).
   */
  liveness: z.enum(LIVENESS_CHECKS).default('off'),
  /** Live-score threshold of that check; default LIVENESS_THRESHOLD. */
  livenessThreshold: z.number().min(0).max(1).optional(),
});

/** Options of one liveness check (the main face of one image). */
export const LivenessOptionsSchema = FaceSearchSchema.extend({
  /** Live-score threshold; default LIVENESS_THRESHOLD (docs/liveness.md). The same name as in compare options. */
  livenessThreshold: z.number().min(0).max(1).optional(),
  /** @deprecated The earlier name of `livenessThreshold` (it is not the similarity `threshold` of compare options). */
  threshold: z.number().min(0).max(1).optional(),
}).transform(({ threshold, livenessThreshold = threshold, ...o }): FaceSearchSettings & { livenessThreshold?: number } =>
  (livenessThreshold === undefined ? o : { ...o, livenessThreshold }));

/** Start-up phases reported to `onProgress`, in order (download and compile overlap). */
export const LOAD_PHASES = ['download', 'compile', 'warmup', 'ready'] as const;
export type LoadPhase = (typeof LOAD_PHASES)[number];

/**
 * One start-up progress event. `download`: bytes of the start-up models received so far over their
 * total (`file` = the model that moved; a cached model counts at once). `compile`: sessions created
 * over the sessions to create (`file` = the model being compiled). `warmup`: 0 of 1. `ready`: 1 of 1.
 */
export interface LoadProgress {
  phase: LoadPhase;
  file?: string;
  loaded: number;
  total: number;
}

/** What `onStatus` is told when the recognizer's worker dies and comes back. */
export interface RecognizerStatus {
  state: 'crashed' | 'restarting' | 'ready';
  /** Why the worker was given up ('crashed'). */
  reason?: string;
  /** Workers started after the first one, so far. */
  restarts: number;
}

/** Options of createFaceRecognizer, shared by the browser and the Node recognizer. */
export const RecognizerOptionsSchema = z.strictObject({
  /**
   * wasm threads. Browser default: one fewer than the cores, up to 4, when the page is
   * cross-origin isolated (else 1), leaving a core to the page. Node default: 1.
   */
  numThreads: z.number().int().min(1).max(16).optional(),
  /** Browser: 'auto' (default) uses WebGPU when an adapter exists and agrees with wasm, else wasm. Node: CPU only ('webgpu' is refused). */
  backend: z.enum(BACKEND_CHOICES).default('auto'),
  /**
   * Browser: folder (URL) written by `npx face-compare-sdk assets <dir>` (models, worker, wasm), for
   * self-hosting on a CDN or kiosk server; default: the files inside the package, resolved by the bundler.
   */
  assetBaseUrl: z.string().optional(),
  /** Browser: folder (URL) of the onnxruntime-web .wasm files; default: assetBaseUrl, else the package's. */
  wasmPaths: z.string().optional(),
  /**
   * Browser: the worker's life after start-up: 'crashed' (calls in it got WORKER_CRASHED),
   * 'restarting', 'ready' again (docs/offline.md). Node: not called.
   */
  onStatus: z.custom<(status: RecognizerStatus) => void>((v) => typeof v === 'function', { message: 'onStatus must be a function' }).optional(),
  /** Browser: start-up progress (download, compile, warmup, ready), called on the page. Node: not called (models come from disk). */
  onProgress: z.custom<(event: LoadProgress) => void>((v) => typeof v === 'function', { message: 'onProgress must be a function' }).optional(),
  /** Node: folder holding the .onnx files; default: the package's own (dist/assets/, or models/ in a source checkout). */
  modelsDir: z.string().optional(),
  /**
   * Node: which ONNX runtime runs the models. 'auto' (default): onnxruntime-node (native, an optional
   * dependency) when it can be imported, else onnxruntime-web (wasm). Same answers either way.
   */
  runtime: z.enum(['auto', 'onnxruntime-node', 'onnxruntime-web']).default('auto'),
});

export type Channel = (typeof CHANNELS)[number];
export type AnalyzeOptions = z.input<typeof AnalyzeOptionsSchema>;
export type CompareOptions = z.input<typeof CompareOptionsSchema>;
export type LivenessOptions = z.input<typeof LivenessOptionsSchema>;
export type RecognizerOptions = z.input<typeof RecognizerOptionsSchema>;

/** Options after parsing (defaults filled in): what the engine receives, parsed once per call. */
export type AnalyzeSettings = z.output<typeof AnalyzeOptionsSchema>;
/** The options of finding faces, which every call's settings carry. */
export type FaceSearchSettings = z.output<typeof FaceSearchSchema>;
export type CompareSettings = z.output<typeof CompareOptionsSchema>;
export type LivenessSettings = z.output<typeof LivenessOptionsSchema>;

/** Validates options with zod and turns a failure into INVALID_OPTIONS carrying zod's message. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  throw new FaceError('INVALID_OPTIONS', formatIssues(r.error.issues, 'options'), { issues: r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) });
}
