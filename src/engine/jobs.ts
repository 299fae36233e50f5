/**
 * The side that runs a recognizer's jobs (the worker, or Node in-process): one at a time, in call
 * order (ORT sessions are not re-entrant, onnxruntime#15735, and the engine reuses its detector
 * buffer), skipping a job whose call was cancelled while it waited.
 */
import { abortedError } from './calls.js';

export interface JobQueueOptions {
  /**
   * Yield to the event loop before each job: in a worker the next job would start in the same
   * microtask turn as the previous one ends, before a cancel message already waiting in the port
   * could be read. Not needed where cancel() is a plain call (Node).
   */
  yieldBeforeStart?: boolean;
}

export function jobQueue({ yieldBeforeStart = false }: JobQueueOptions = {}) {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
  const cancelled = new Set<number>();
  /** Calls queued or running: a cancel for any other (already finished) is ignored, not kept. */
  const active = new Set<number>();
  return {
    /** Runs `job` after every earlier one; ABORTED (details.skipped) if call `id` was cancelled before it started. */
    run<T>(id: number | undefined, job: () => Promise<T>): Promise<T> {
      if (id !== undefined) active.add(id);
      return serial(async () => {
        try {
          if (id !== undefined && yieldBeforeStart) await new Promise<void>((r) => setTimeout(r, 0));
          if (id !== undefined && cancelled.delete(id)) throw abortedError(undefined, { skipped: true });
          return await job();
        } finally {
          if (id !== undefined) { cancelled.delete(id); active.delete(id); }
        }
      });
    },
    /** The caller abandoned call `id`: if it is still queued it will not run. */
    cancel(id: number): void {
      if (active.has(id)) cancelled.add(id);
    },
    /** Throws ABORTED when call `id` was cancelled while it ran (checked between stages). */
    check(id: number | undefined): void {
      if (id !== undefined && cancelled.delete(id)) throw abortedError();
    },
    /** Runs `job` once every queued job has finished (dispose). */
    last: serial,
  };
}

export type JobQueue = ReturnType<typeof jobQueue>;
