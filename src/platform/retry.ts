/** Backoff policy: exponential with jitter, Retry-After, abortable sleep. */
import { isPlatformError, PlatformError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (so `retries + 1` attempts). Default 3. */
  retries?: number;
  /** First backoff step in ms. Default 300. */
  baseDelayMs?: number;
  /** Upper bound of one backoff step in ms. Default 10 000. */
  maxDelayMs?: number;
  /** Growth per retry. Default 2. */
  factor?: number;
  /** A Retry-After longer than this fails at once with RATE_LIMITED instead of waiting. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(o: RetryOptions = {}): ResolvedRetry {
  return {
    retries: o.retries ?? 3,
    baseDelayMs: o.baseDelayMs ?? 300,
    maxDelayMs: o.maxDelayMs ?? 10_000,
    factor: o.factor ?? 2,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 60_000,
    random: o.random ?? Math.random,
  };
}

/** HTTP statuses a request is retried on: timeout, rate limit, server errors. */
export const isRetryableStatus = (s: number): boolean => s === 408 || s === 429 || s >= 500;

const TRANSIENT_CODES = new Set(['NETWORK', 'TIMEOUT', 'RATE_LIMITED', 'UNAUTHORIZED', 'ABORTED']);

/** Transient: worth retrying later (the outbox's rule, store/sync.ts). Anything not recognised as permanent counts as transient. */
export function isTransient(err: unknown): boolean {
  if (!isPlatformError(err)) return true;
  if (TRANSIENT_CODES.has(err.code)) return true;
  // 401 and 429 arrive as UNAUTHORIZED and RATE_LIMITED (above), never as HTTP.
  if (err.code === 'HTTP' && err.status !== undefined) return isRetryableStatus(err.status);
  return false; // NOT_FOUND, INVALID_INPUT, PLATFORM_SCHEMA, 4xx
}

/** "Equal jitter": half of the exponential step is fixed, half is random. `retry` is 0-based. */
export function backoffDelay(retry: number, p: ResolvedRetry): number {
  const step = Math.min(p.maxDelayMs, p.baseDelayMs * p.factor ** retry);
  return Math.round(step / 2 + p.random() * (step / 2));
}

/** Retry-After as delta-seconds or HTTP-date → ms (undefined when absent or unparsable). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** setTimeout as a promise that rejects with ABORTED when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(requestAborted(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(requestAborted(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function requestAborted(signal?: AbortSignal, extra: { method?: string; url?: string; attempts?: number } = {}): PlatformError {
  return new PlatformError('ABORTED', 'the request was aborted by the caller', { ...extra, cause: signal?.reason });
}
