/**
 * Cancellation of recognizer calls (`{ signal }`), the same in the browser and in Node. An
 * AbortSignal cannot cross to a worker, so the caller's side owns it: an aborted call rejects at
 * once with ABORTED, and the side that runs jobs is told the call id, so a job still queued there
 * never starts. dispose() rejects every pending call with DISPOSED at once.
 */
import { FaceError, toFaceError } from '../contract/errors.js';
import type { CallStats, RecognizerCallOptions } from '../contract/types.js';

/** ABORTED for a call its caller abandoned, with the signal's reason when it has one. */
export function abortedError(signal?: AbortSignal, details: { skipped?: boolean } = {}): FaceError {
  const reason = signal?.reason;
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : '';
  return new FaceError('ABORTED', `the call was aborted${details.skipped ? ' before it started' : ''}${why ? `: ${why}` : ''}`, details);
}

/** Splits the page-only `signal` from the options zod validates (strict schemas would refuse it). */
export function splitSignal<T extends object>(options: (T & RecognizerCallOptions) | undefined): { signal?: AbortSignal; options: T | undefined } {
  if (!options || !('signal' in options)) return { options };
  const { signal, ...rest } = options;
  if (signal !== undefined && !(typeof AbortSignal === 'function' && signal instanceof AbortSignal)) {
    throw new FaceError('INVALID_OPTIONS', 'options.signal: expected an AbortSignal');
  }
  return { signal, options: rest as unknown as T };
}

/** What a call's body gets: its id, and a checkpoint that throws ABORTED once the call is no longer wanted. */
export interface CallContext {
  id: number;
  /** `starting`: the job is about to start (an abort here means it never ran). */
  checkpoint(starting?: boolean): void;
  /**
   * Hands the job to the runner in call order: `queue` is invoked once every earlier call has
   * handed over its own (inputs are prepared concurrently, but a compare's two images take longer
   * than one analyze's, and calls must settle in the order they were made).
   */
  inTurn<T>(queue: () => Promise<T>): Promise<T>;
}

/** Tracks the pending calls of one recognizer. `cancel(id)` tells the job runner a call was abandoned. */
export class CallTracker {
  private readonly pending = new Map<number, (e: FaceError) => void>();
  /** Aborted calls whose body has not finished yet: did their job ever start? */
  private readonly abandoned = new Set<number>();
  private next = 1;
  /** Settles when the latest call has handed its job to the runner. */
  private handedOver: Promise<void> = Promise.resolve();
  readonly stats: Omit<CallStats, 'pending' | 'restarts'> = { settled: 0, aborted: 0, skipped: 0 };

  constructor(private readonly cancel: (id: number) => void = () => undefined) {}

  snapshot(): Omit<CallStats, 'restarts'> {
    return { pending: this.pending.size, ...this.stats };
  }

  run<T>(signal: AbortSignal | undefined, body: (ctx: CallContext) => Promise<T>): Promise<T> {
    if (signal?.aborted) {
      this.stats.aborted++;
      this.stats.skipped++;
      return Promise.reject(abortedError(signal));
    }
    const id = this.next++;
    const previous = this.handedOver;
    let handOver!: () => void;
    this.handedOver = new Promise<void>((r) => { handOver = r; });
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        finish();
        this.stats.aborted++;
        this.abandoned.add(id);
        this.cancel(id);
        reject(abortedError(signal));
      };
      this.pending.set(id, (e) => { finish(); reject(e); });
      signal?.addEventListener('abort', onAbort, { once: true });
      const checkpoint = (starting = false) => {
        if (this.pending.has(id)) return;
        throw abortedError(signal, starting ? { skipped: true } : {});
      };
      const inTurn = async <R>(queue: () => Promise<R>): Promise<R> => {
        await previous;
        let job: Promise<R>;
        try {
          checkpoint(true);
          job = queue();
        } finally {
          handOver();
        }
        return job;
      };
      const done = body({ id, checkpoint, inTurn });
      done.finally(handOver).catch(() => undefined);
      done.then(
        (v) => {
          this.abandoned.delete(id);
          if (this.pending.has(id)) { finish(); this.stats.settled++; resolve(v); }
        },
        (e) => {
          // Every failure a caller sees is a FaceError: an onnxruntime or worker error becomes INTERNAL.
          if (this.pending.has(id)) { finish(); this.stats.settled++; reject(toFaceError(e)); return; }
          // Already rejected on abort: the runner's answer tells whether the job ever started.
          if (this.abandoned.delete(id) && e instanceof FaceError && e.code === 'ABORTED' && e.details.skipped === true) this.stats.skipped++;
        },
      );
    });
  }

  /** Rejects every pending call (dispose). */
  rejectAll(e: FaceError): void {
    for (const reject of [...this.pending.values()]) reject(e);
  }
}
