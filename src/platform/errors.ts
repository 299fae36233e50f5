/**
 * Typed errors of the platform client. Every failure a caller can see is a {@link PlatformError}
 * (an SdkError); switch on `code`, never on the message.
 */
import { SdkError } from '../contract/errors.js';

export type PlatformErrorCode =
  /** A response body did not match the contract (or was not JSON). `path` names the offending field. */
  | 'PLATFORM_SCHEMA'
  /** 401 after one token refresh, or the token provider could not produce/refresh a token. */
  | 'UNAUTHORIZED'
  /** 404: the scan does not exist. */
  | 'NOT_FOUND'
  /** 429 after the retries were used up (or Retry-After beyond `maxRetryAfterMs`). */
  | 'RATE_LIMITED'
  /** Any other non-2xx status (400, 403, 409, 5xx after retries, …); see `status`. */
  | 'HTTP'
  /** The connection failed or was dropped, after the retries were used up. */
  | 'NETWORK'
  /** The per-attempt timeout fired on the last attempt. */
  | 'TIMEOUT'
  /** The caller's AbortSignal fired. Never retried. */
  | 'ABORTED'
  /** An argument the caller passed was rejected before any request was made. `path` names it. */
  | 'INVALID_INPUT'
  /** OAuth2 / OIDC protocol failure in the PKCE helper (state mismatch, error redirect, bad token response…). */
  | 'AUTH';

export interface SchemaIssue {
  path: string;
  message: string;
}

export interface PlatformErrorOptions {
  status?: number;
  serverMessage?: string;
  serverCode?: string;
  path?: string;
  issues?: SchemaIssue[];
  method?: string;
  url?: string;
  attempts?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

const CODES: readonly PlatformErrorCode[] = [
  'PLATFORM_SCHEMA', 'UNAUTHORIZED', 'NOT_FOUND', 'RATE_LIMITED', 'HTTP', 'NETWORK', 'TIMEOUT', 'ABORTED', 'INVALID_INPUT', 'AUTH',
];

/** The request facts of a PlatformError, also readable as its own fields (`err.status`, …). */
export type PlatformErrorDetails = Omit<PlatformErrorOptions, 'cause'> & { [key: string]: unknown };

export class PlatformError extends SdkError<PlatformErrorCode, PlatformErrorDetails> {
  override readonly name = 'PlatformError';
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /** The server's own message (`message`, `error_description`, `detail`, `error` or plain text body). */
  readonly serverMessage?: string;
  /** The server's own error code (`code` or OAuth `error`), when it sent one. */
  readonly serverCode?: string;
  /** For PLATFORM_SCHEMA / INVALID_INPUT: the first offending path, e.g. `content[2].compareSimilarity`. */
  readonly path?: string;
  /** For PLATFORM_SCHEMA / INVALID_INPUT: every issue found. */
  readonly issues?: SchemaIssue[];
  readonly method?: string;
  readonly url?: string;
  /** How many HTTP attempts were made. */
  readonly attempts?: number;
  /** For RATE_LIMITED: the server's last Retry-After, in ms. */
  readonly retryAfterMs?: number;

  constructor(code: PlatformErrorCode, message: string, options: PlatformErrorOptions = {}) {
    const { cause, ...details } = options;
    super(code, message, Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as PlatformErrorDetails, { cause });
    if (options.status !== undefined) this.status = options.status;
    if (options.serverMessage !== undefined) this.serverMessage = options.serverMessage;
    if (options.serverCode !== undefined) this.serverCode = options.serverCode;
    if (options.path !== undefined) this.path = options.path;
    if (options.issues !== undefined) this.issues = options.issues;
    if (options.method !== undefined) this.method = options.method;
    if (options.url !== undefined) this.url = options.url;
    if (options.attempts !== undefined) this.attempts = options.attempts;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** Rebuild a PlatformError that crossed a worker boundary as plain data (`toJSON()` output). */
  static fromJSON(v: Record<string, unknown>): PlatformError {
    const code = CODES.includes(v.code as PlatformErrorCode) ? (v.code as PlatformErrorCode) : 'HTTP';
    const o: PlatformErrorOptions = {};
    const str = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const num = (k: string): number | undefined => (typeof v[k] === 'number' ? (v[k] as number) : undefined);
    for (const k of ['serverMessage', 'serverCode', 'path', 'method', 'url'] as const) {
      const x = str(k);
      if (x !== undefined) o[k] = x;
    }
    for (const k of ['status', 'attempts', 'retryAfterMs'] as const) {
      const x = num(k);
      if (x !== undefined) o[k] = x;
    }
    if (Array.isArray(v.issues)) o.issues = v.issues as SchemaIssue[];
    return new PlatformError(code, str('message') ?? code, o);
  }

  /** Plain-object view (survives structured clone / postMessage out of a worker). */
  override toJSON(): { name: string; code: PlatformErrorCode; message: string; details: PlatformErrorDetails } & Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      details: this.details,
      status: this.status,
      serverMessage: this.serverMessage,
      serverCode: this.serverCode,
      path: this.path,
      issues: this.issues,
      method: this.method,
      url: this.url,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

export function isPlatformError(e: unknown, code?: PlatformErrorCode): e is PlatformError {
  return e instanceof PlatformError && (code === undefined || e.code === code);
}
