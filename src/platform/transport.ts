/**
 * One HTTP exchange with the platform: bearer token, per-attempt timeout, caller abort, retries with
 * backoff, a single token refresh on 401, and mapping of every failure to a typed PlatformError.
 * Returns the parsed JSON body unvalidated: validation is the caller's (client.ts) job.
 */
import { PlatformError, type PlatformErrorCode } from './errors.js';
import { requestAborted, backoffDelay, isRetryableStatus, parseRetryAfter, resolveRetry, sleep, type ResolvedRetry, type RetryOptions } from './retry.js';

/** Anything that yields a bearer access token: a static token, your own OAuth code, or {@link createPkceAuth}. */
export interface TokenProvider {
  /**
   * Return the current access token (or undefined to send none). With `forceRefresh` the provider
   * must obtain a new one (the client got a 401 with the current one); throw if it cannot.
   */
  getAccessToken(options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string | null | undefined> | string | null | undefined;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface RetryEvent {
  method: HttpMethod;
  url: string;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  reason: 'network' | 'timeout' | 'status';
  status?: number;
  retryAfterMs?: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

export interface TransportOptions {
  /** Platform origin plus optional path prefix, e.g. `https://api.example.com` or `http://127.0.0.1:8787`. */
  baseUrl: string;
  auth?: TokenProvider;
  /** Injectable fetch; default the global one (browser, worker, Node ≥ 18). */
  fetch?: FetchLike;
  /** Per-attempt timeout in ms. Default 30 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Called before each backoff sleep (logging, metrics, tests). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path below baseUrl, starting with `/`. */
  path: string;
  query?: Array<[string, string]>;
  /** JSON body (serialised here). */
  json?: unknown;
  /** Multipart body. */
  form?: FormData;
  /** Retry transient failures? Default: true for GET and PUT, false otherwise. */
  retry?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  method: HttpMethod;
  url: string;
}

type Outcome =
  | { kind: 'response'; status: number; statusText: string; headers: Headers; text: string }
  | { kind: 'failure'; reason: 'network' | 'timeout'; cause: unknown };

export class Transport {
  readonly baseUrl: string;
  private readonly auth: TokenProvider | undefined;
  private readonly fetchImpl: FetchLike | undefined;
  private readonly timeoutMs: number;
  private readonly retry: ResolvedRetry;
  private readonly headers: Record<string, string>;
  private readonly onRetry: ((e: RetryEvent) => void) | undefined;

  constructor(o: TransportOptions) {
    if (typeof o.baseUrl !== 'string' || !/^https?:\/\//i.test(o.baseUrl)) {
      throw new PlatformError('INVALID_INPUT', 'baseUrl must be an absolute http(s) URL', { path: 'baseUrl' });
    }
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.auth = o.auth;
    this.fetchImpl = o.fetch;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.retry = resolveRetry(o.retry);
    this.headers = o.headers ?? {};
    this.onRetry = o.onRetry;
  }

  url(path: string, query: Array<[string, string]> = []): string {
    const qs = new URLSearchParams(query).toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  async send(spec: RequestSpec): Promise<RawResponse> {
    const { method, signal } = spec;
    const url = this.url(spec.path, spec.query);
    const canRetry = spec.retry ?? (method === 'GET' || method === 'PUT');
    const timeoutMs = spec.timeoutMs ?? this.timeoutMs;
    let attempts = 0;
    let retriesUsed = 0;
    let refreshed = false;
    let forceRefresh = false;

    for (;;) {
      if (signal?.aborted) throw requestAborted(signal, { method, url, attempts });
      attempts += 1;
      const token = await this.token(forceRefresh, signal, method, url);
      forceRefresh = false;
      if (signal?.aborted) throw requestAborted(signal, { method, url, attempts });
      const outcome = await this.attempt(url, spec, token, timeoutMs, attempts);

      if (outcome.kind === 'failure') {
        if (canRetry && retriesUsed < this.retry.retries) {
          const delayMs = backoffDelay(retriesUsed, this.retry);
          this.onRetry?.({ method, url, attempt: attempts, reason: outcome.reason, delayMs });
          retriesUsed += 1;
          await sleep(delayMs, signal);
          continue;
        }
        const code: PlatformErrorCode = outcome.reason === 'timeout' ? 'TIMEOUT' : 'NETWORK';
        const what = outcome.reason === 'timeout' ? `timed out after ${timeoutMs} ms` : `network error (${describe(outcome.cause)})`;
        throw new PlatformError(code, `${method} ${spec.path}: ${what}`, { method, url, attempts, cause: outcome.cause });
      }

      const { status, headers, text } = outcome;
      if (status >= 200 && status < 300) {
        return { status, headers, body: parseJson(text, { method, url, status, attempts, path: spec.path }), method, url };
      }
      if (status === 401 && this.auth && !refreshed) {
        refreshed = true;
        forceRefresh = true;
        continue;
      }
      const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
      if (isRetryableStatus(status) && canRetry && retriesUsed < this.retry.retries) {
        const tooLong = retryAfterMs !== undefined && retryAfterMs > this.retry.maxRetryAfterMs;
        if (!tooLong) {
          const delayMs = Math.max(retryAfterMs ?? 0, backoffDelay(retriesUsed, this.retry));
          this.onRetry?.({ method, url, attempt: attempts, reason: 'status', status, delayMs, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
          retriesUsed += 1;
          await sleep(delayMs, signal);
          continue;
        }
      }
      throw httpError(outcome, { method, url, attempts, path: spec.path, retryAfterMs });
    }
  }

  private async token(forceRefresh: boolean, signal: AbortSignal | undefined, method: HttpMethod, url: string): Promise<string | undefined> {
    if (!this.auth) return undefined;
    try {
      const t = await this.auth.getAccessToken(signal ? { forceRefresh, signal } : { forceRefresh });
      return t ?? undefined;
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      throw new PlatformError('UNAUTHORIZED', `could not obtain an access token: ${describe(e)}`, { method, url, cause: e });
    }
  }

  private async attempt(url: string, spec: RequestSpec, token: string | undefined, timeoutMs: number, attempts: number): Promise<Outcome> {
    const fetchImpl = this.fetchImpl ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (spec.form !== undefined) body = spec.form;
    else if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['content-type'] = 'application/json';
    }

    const ctrl = new AbortController();
    const outer = spec.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort(new Error(`timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = (): void => ctrl.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      const init: RequestInit = { method: spec.method, headers, signal: ctrl.signal };
      if (body !== undefined) init.body = body;
      const res = await fetchImpl(url, init);
      const text = await res.text(); // inside the timeout: a stalled body is a timeout too
      return { kind: 'response', status: res.status, statusText: res.statusText, headers: res.headers, text };
    } catch (e) {
      if (outer?.aborted) throw requestAborted(outer, { method: spec.method, url, attempts });
      if (e instanceof PlatformError) throw e;
      return { kind: 'failure', reason: timedOut ? 'timeout' : 'network', cause: e };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? `: ${cause.message}` : '';
    return `${e.message}${inner}`;
  }
  return String(e);
}

function parseJson(text: string, ctx: { method: HttpMethod; url: string; status: number; attempts: number; path: string }): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PlatformError('PLATFORM_SCHEMA', `${ctx.method} ${ctx.path} response is not valid JSON`, {
      method: ctx.method,
      url: ctx.url,
      status: ctx.status,
      attempts: ctx.attempts,
      path: '(root)',
      issues: [{ path: '(root)', message: 'body is not valid JSON' }],
      cause: e,
    });
  }
}

/** Pull the server's message/code out of a Spring, RFC 7807, OAuth or plain-text error body. */
function serverErrorInfo(text: string, headers: Headers): { serverMessage?: string; serverCode?: string } {
  const out: { serverMessage?: string; serverCode?: string } = {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    const msg = str(o.message) ?? str(o.error_description) ?? str(o.detail) ?? str(o.title) ?? str(o.error);
    // Spring/RFC 7807 bodies carry a numeric `status` and put the reason phrase in `error`;
    // OAuth bodies put a code there.
    const code = str(o.code) ?? (typeof o.status === 'number' ? undefined : str(o.error));
    if (msg !== undefined) out.serverMessage = msg;
    if (code !== undefined) out.serverCode = code;
  } else if (text.trim() !== '') {
    out.serverMessage = text.trim().slice(0, 500);
  }
  if (out.serverMessage === undefined) {
    const m = /error_description="([^"]*)"/.exec(headers.get('www-authenticate') ?? '');
    if (m?.[1]) out.serverMessage = m[1];
  }
  if (out.serverCode === undefined) {
    const m = /error="([^"]*)"/.exec(headers.get('www-authenticate') ?? '');
    if (m?.[1]) out.serverCode = m[1];
  }
  return out;
}

function httpError(
  o: { status: number; statusText: string; headers: Headers; text: string },
  ctx: { method: HttpMethod; url: string; attempts: number; path: string; retryAfterMs: number | undefined },
): PlatformError {
  const code: PlatformErrorCode =
    o.status === 401 ? 'UNAUTHORIZED' : o.status === 404 ? 'NOT_FOUND' : o.status === 429 ? 'RATE_LIMITED' : 'HTTP';
  const info = serverErrorInfo(o.text, o.headers);
  const reason = `${o.status}${o.statusText ? ` ${o.statusText}` : ''}`;
  return new PlatformError(code, `${ctx.method} ${ctx.path} failed: ${reason}${info.serverMessage ? ` — ${info.serverMessage}` : ''}`, {
    status: o.status,
    method: ctx.method,
    url: ctx.url,
    attempts: ctx.attempts,
    ...info,
    ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}),
  });
}
