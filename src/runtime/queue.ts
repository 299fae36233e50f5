/**
 * Runs jobs one at a time, in call order. ORT sessions are not re-entrant (onnxruntime#15735) and
 * the engine reuses its detector buffer, so concurrent callers queue here.
 */
export function serialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>) => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}
