/**
 * The SDK's errors. Everything the public API throws is an {@link SdkError}: a stable `code`, a
 * human `message` and plain-data `details`. FaceError (recognizer), PlatformError (REST client) and
 * StoreError (offline store) extend it, so one guard and one switch on `code` cover them all.
 */

/** Plain data about an error: safe to log, to clone across a worker boundary, to serialise. */
export interface ErrorDetails {
  [key: string]: unknown;
}

/** The base of every error the SDK throws. */
export class SdkError<C extends string = string, D extends ErrorDetails = ErrorDetails> extends Error {
  override readonly name: string = 'SdkError';
  constructor(
    readonly code: C,
    message: string,
    readonly details: D = {} as D,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  toJSON(): { name: string; code: C; message: string; details: D } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** True for any error of this SDK (optionally: with this code). */
export function isSdkError(e: unknown, code?: string): e is SdkError {
  return e instanceof SdkError && (code === undefined || e.code === code);
}

/** Stable error codes of the recognizer. They are a public contract: add new ones, never rename. */
export const ERROR_CODES = [
  'NO_FACE',
  'MULTIPLE_FACES',
  'IMAGE_DECODE',
  'IMAGE_TOO_LARGE',
  'INVALID_OPTIONS',
  'MODEL_LOAD',
  'MODEL_INTEGRITY',
  'DISPOSED',
  'INTERNAL',
  'LOW_QUALITY',
  /** A face checked for liveness scored below the threshold (details.image, details.score, details.threshold). */
  'SPOOF_SUSPECTED',
  /** The caller's AbortSignal fired: the call was abandoned (a queued one never ran). */
  'ABORTED',
  /**
   * The browser recognizer's worker died during the call (closed, threw, aborted in onnxruntime,
   * stopped answering). The next call starts a new worker; details.exhausted: too many restarts in a
   * minute, call restart().
   */
  'WORKER_CRASHED',
  /** Camera (face-compare-sdk/capture): the user or the page's policy refused camera access. */
  'CAMERA_DENIED',
  /** Camera: no camera, or none that matches the asked device-id / facing-mode. */
  'CAMERA_NOT_FOUND',
  /** Camera: it exists but cannot be started (another application holds it, or a hardware error). */
  'CAMERA_IN_USE',
  /** Camera: the running camera stopped by itself (unplugged, turned off, revoked). */
  'CAMERA_ENDED',
] as const;
export type FaceErrorCode = (typeof ERROR_CODES)[number];

export interface FaceErrorDetails extends ErrorDetails {
  /** Which input the error is about: 1 or 2 for compareFaces, 1 for analyze. */
  image?: number;
}

/** The recognizer's error (compareFaces, analyze, the CLI). */
export class FaceError extends SdkError<FaceErrorCode, FaceErrorDetails> {
  override readonly name = 'FaceError';

  /** Rebuilds a FaceError that crossed a worker boundary as plain data. */
  static fromJSON(v: { code: string; message: string; details?: FaceErrorDetails }): FaceError {
    const code = (ERROR_CODES as readonly string[]).includes(v.code) ? (v.code as FaceErrorCode) : 'INTERNAL';
    return new FaceError(code, v.message, v.details ?? {});
  }
}

export function isFaceError(e: unknown, code?: FaceErrorCode): e is FaceError {
  return e instanceof FaceError && (code === undefined || e.code === code);
}

/** Any thrown value as a FaceError: FaceErrors pass through, anything else is INTERNAL. */
export function toFaceError(e: unknown, details: FaceErrorDetails = {}): FaceError {
  if (e instanceof FaceError) return Object.keys(details).length ? new FaceError(e.code, e.message, { ...e.details, ...details }, { cause: e.cause }) : e;
  return new FaceError('INTERNAL', e instanceof Error ? e.message : String(e), details, { cause: e });
}

/** Tags an error with the input it came from, without losing its code. */
export function withImage(e: unknown, image: number): FaceError {
  return toFaceError(e, { image });
}

/** `['content', 2, 'face1', 'x']` → `content[2].face1.x` (`root` for an empty path). */
export function formatPath(path: readonly PropertyKey[], root = '(root)'): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out === '' ? root : out;
}

/** zod issues as one line: `path: message; path: message`. */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], root = 'value'): string {
  return issues.map((i) => `${formatPath(i.path, root)}: ${i.message}`).join('; ');
}
