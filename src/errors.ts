/** Stable error codes. They are a public contract: add new ones, never rename. */
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
] as const;
export type FaceErrorCode = (typeof ERROR_CODES)[number];

export interface FaceErrorDetails {
  /** Which input the error is about: 1 or 2 for compareFaces, 1 for analyze. */
  image?: number;
  [key: string]: unknown;
}

/** The one error type the SDK throws. `code` is stable; `message` is for humans. */
export class FaceError extends Error {
  override readonly name = 'FaceError';
  constructor(
    readonly code: FaceErrorCode,
    message: string,
    readonly details: FaceErrorDetails = {},
  ) {
    super(message);
  }

  toJSON(): { code: FaceErrorCode; message: string; details: FaceErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds a FaceError that crossed a worker boundary as plain data. */
  static fromJSON(v: { code: string; message: string; details?: FaceErrorDetails }): FaceError {
    const code = (ERROR_CODES as readonly string[]).includes(v.code) ? (v.code as FaceErrorCode) : 'INTERNAL';
    return new FaceError(code, v.message, v.details ?? {});
  }
}

export function isFaceError(e: unknown): e is FaceError {
  return e instanceof FaceError;
}

/** Tags an error with the input it came from, without losing its code. */
export function withImage(e: unknown, image: number): FaceError {
  if (e instanceof FaceError) return new FaceError(e.code, e.message, { ...e.details, image });
  return new FaceError('INTERNAL', e instanceof Error ? e.message : String(e), { image });
}
