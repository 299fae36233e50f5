/**
 * The recognizer both platforms share: one interface and one call wrapper. A platform supplies
 * `prepare` (a caller's input → what its runner takes: a worker payload, a decoded Node image) and
 * a runner (the engine's calls, in a worker or in-process). The wrapper checks the options once,
 * tags input errors with the image number, tracks the call (signal, call order, stats) and builds
 * the public result, so adding a method is one change here.
 */
import { FaceError, withImage } from '../contract/errors.js';
import {
  AnalyzeOptionsSchema, CompareOptionsSchema, LivenessOptionsSchema, parseOptions,
  type AnalyzeOptions, type AnalyzeSettings, type CompareOptions, type CompareSettings, type LivenessOptions, type LivenessSettings,
} from '../contract/options.js';
import type { CompareResult, Face } from '../contract/result.js';
import type { LivenessResult } from '../contract/liveness.js';
import type { AnalyzedFrame, AnalyzeDetails, CallStats, CompareDetails, LivenessDetails, RecognizerCallOptions, Timed } from '../contract/types.js';
import { CallTracker, splitSignal } from './calls.js';
import type { Comparison } from './face-engine.js';
import { Stopwatch } from './timing.js';

/** The calls of a recognizer, for inputs of type `I` (the browser's ImageInput, Node's NodeImageInput). */
export interface RecognizerCalls<I> {
  /** The platform's compare_face scan for two images (main face of each). */
  compareFaces(a: I, b: I, options?: CompareOptions & RecognizerCallOptions): Promise<CompareResult>;
  /** compareFaces plus the raw cosine and this call's stage timings. */
  compare(a: I, b: I, options?: CompareOptions & RecognizerCallOptions): Promise<CompareDetails>;
  /** Every face in the image, largest first (`liveness` is for analyzeDetailed: the platform's Face has no place for it). */
  analyze(image: I, options?: AnalyzeOptions & RecognizerCallOptions): Promise<Face[]>;
  /**
   * analyze plus this call's stage timings; with `{ liveness: true }` also each face's liveness
   * (`liveness[i]` is `faces[i]`'s), on the same detection. The first such call loads the liveness model.
   */
  analyzeDetailed(image: I, options?: AnalyzeOptions & RecognizerCallOptions): Promise<AnalyzeDetails>;
  /**
   * Is the main face a live person, or a printed photo or a screen (docs/liveness.md)? The first call loads the
   * liveness model (1.9 MB; the browser fetches and verifies it); nothing else loads it.
   */
  liveness(image: I, options?: LivenessOptions & RecognizerCallOptions): Promise<LivenessResult>;
  /** liveness plus this call's stage timings. */
  livenessDetailed(image: I, options?: LivenessOptions & RecognizerCallOptions): Promise<LivenessDetails>;
  /** The face embedding (512-d, L2-normalised) of the image's main face. */
  embed(image: I, options?: AnalyzeOptions & RecognizerCallOptions): Promise<Float32Array>;
  /** Counters of this recognizer's calls: pending, settled, aborted, skipped (aborted before they started), and worker restarts. */
  stats(): CallStats;
  /** Rejects the pending calls with DISPOSED and releases the models (and, in the browser, the worker). */
  dispose(): Promise<void>;
}

/** Runs the engine's calls, one at a time in call order; `id` names the call for cancel(). */
export interface CallRunner<P> {
  compare(a: P, b: P, options: CompareSettings, id: number): Promise<Timed<Comparison>>;
  analyze(image: P, options: AnalyzeSettings, id: number): Promise<Timed<AnalyzedFrame>>;
  liveness(image: P, options: LivenessSettings, id: number): Promise<Timed<LivenessResult>>;
  embed(image: P, options: AnalyzeSettings, id: number): Promise<Timed<Float32Array>>;
  /** The caller abandoned call `id`: if it is still queued it must not start. */
  cancel(id: number): void;
}

export interface RecognizerParts<I, P> {
  /** A caller's input as the runner takes it; its time counts as `decode`. */
  prepare(input: I): Promise<P>;
  runner: CallRunner<P>;
  /** After each call's result (the browser brings info() up to date after a WebGPU fallback). */
  afterCall?(): Promise<void>;
  /** Workers started after the first one (the browser's worker host); 0 where there is none. */
  restarts?(): number;
  /** Releases the runner, once the pending calls were rejected. */
  release(): Promise<void>;
}

export function createRecognizerCalls<I, P>(parts: RecognizerParts<I, P>): RecognizerCalls<I> {
  const { runner } = parts;
  let disposed = false;
  // An AbortSignal cannot cross to a worker: the caller's side rejects at once and tells the
  // runner the call id, so a job still queued there never starts (engine/calls.ts).
  const calls = new CallTracker((id) => runner.cancel(id));

  /**
   * One call: options checked before any input is touched, the inputs prepared (concurrently), the
   * job handed to the runner in call order, prepare time added to `decode`.
   */
  const call = async <S, T>(
    schema: Parameters<typeof parseOptions>[0],
    callOptions: RecognizerCallOptions | undefined,
    inputs: I[],
    run: (prepared: P[], options: S, id: number) => Promise<Timed<T>>,
  ): Promise<Timed<T>> => {
    if (disposed) throw new FaceError('DISPOSED', 'this recognizer was disposed');
    const { signal, options } = splitSignal<object>(callOptions);
    const settings = parseOptions(schema, options) as S;
    return calls.run(signal, async ({ id, inTurn }) => {
      const sw = new Stopwatch();
      const prepared = await Promise.all(inputs.map((input, i) => parts.prepare(input).catch((e) => { throw withImage(e, i + 1); })));
      const prepareMs = sw.lap();
      const { value, timings } = await inTurn(() => run(prepared, settings, id));
      await parts.afterCall?.();
      return { value, timings: { ...timings, decode: timings.decode + prepareMs } };
    });
  };

  const compare: RecognizerCalls<I>['compare'] = async (a, b, options) => {
    const { value, timings } = await call<CompareSettings, Comparison>(CompareOptionsSchema, options, [a, b], ([pa, pb], o, id) => runner.compare(pa!, pb!, o, id));
    return { scan: value.scan, cosine: value.cosine, timings };
  };
  const analyzeDetailed: RecognizerCalls<I>['analyzeDetailed'] = async (image, options) => {
    const { value, timings } = await call<AnalyzeSettings, AnalyzedFrame>(AnalyzeOptionsSchema, options, [image], ([p], o, id) => runner.analyze(p!, o, id));
    return value.liveness ? { faces: value.faces, timings, liveness: value.liveness } : { faces: value.faces, timings };
  };
  const livenessDetailed: RecognizerCalls<I>['livenessDetailed'] = async (image, options) => {
    const { value, timings } = await call<LivenessSettings, LivenessResult>(LivenessOptionsSchema, options, [image], ([p], o, id) => runner.liveness(p!, o, id));
    return { ...value, timings };
  };

  return {
    compare,
    compareFaces: async (a, b, options) => (await compare(a, b, options)).scan,
    analyzeDetailed,
    analyze: async (image, options) => (await analyzeDetailed(image, options)).faces,
    livenessDetailed,
    liveness: async (image, options) => {
      const { timings: _timings, ...result } = await livenessDetailed(image, options);
      return result;
    },
    embed: async (image, options) =>
      (await call<AnalyzeSettings, Float32Array>(AnalyzeOptionsSchema, options, [image], ([p], o, id) => runner.embed(p!, o, id))).value,
    stats: () => ({ ...calls.snapshot(), restarts: parts.restarts?.() ?? 0 }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      calls.rejectAll(new FaceError('DISPOSED', 'the recognizer was disposed during this call'));
      await parts.release();
    },
  };
}
