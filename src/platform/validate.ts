/** zod → PlatformError: every validation in the client goes through here. */
import { z } from 'zod';
import { formatPath } from '../contract/errors.js';
import { PlatformError, type PlatformErrorCode, type PlatformErrorOptions, type SchemaIssue } from './errors.js';

export type PathSegment = PropertyKey;

function issuesOf(error: z.ZodError, prefix: readonly PathSegment[] = []): SchemaIssue[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));
}

export interface ValidationContext extends Omit<PlatformErrorOptions, 'path' | 'issues'> {
  /** Human name of what was validated, for the message ("GET /v1/face-recognition/{id} response"). */
  what: string;
  /** PLATFORM_SCHEMA for responses (default), INVALID_INPUT for caller arguments. */
  code?: Extract<PlatformErrorCode, 'PLATFORM_SCHEMA' | 'INVALID_INPUT'>;
  /** Prepended to every issue path (e.g. `['content', 3]` for one page item). */
  prefix?: readonly PathSegment[];
}

export function zodError(error: z.ZodError, ctx: ValidationContext): PlatformError {
  const { what, code = 'PLATFORM_SCHEMA', prefix = [], ...rest } = ctx;
  const issues = issuesOf(error, prefix);
  const first = issues[0] ?? { path: formatPath(prefix), message: 'invalid' };
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return new PlatformError(code, `${what} does not match the contract at ${first.path}: ${first.message}${more}`, {
    ...rest,
    path: first.path,
    issues,
  });
}

/** Parse `value` with `schema` or throw a typed PlatformError naming the offending path. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, ctx: ValidationContext): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw zodError(r.error, ctx);
}
