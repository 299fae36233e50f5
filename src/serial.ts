/**
 * Runs jobs one at a time, in call order. ORT sessions are not re-entrant, and the engine reuses
 * buffers and keeps per-call timings, so concurrent callers must queue (onnxruntime#15735).
 */
export function serialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>) => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}
