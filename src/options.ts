import { FaceError } from './errors.js';

interface SafeParser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** Validates options with zod and turns a failure into INVALID_OPTIONS carrying zod's message. */
export function parseOptions<T>(schema: SafeParser<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const msg = r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
  throw new FaceError('INVALID_OPTIONS', msg);
}
