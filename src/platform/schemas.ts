/**
 * zod schemas of the platform contract (shared/spec/API.md) used by the REST client.
 * The compare_face result schema is the SDK's canonical one from `src/contract/result.ts`, re-exported here.
 */
import { z } from 'zod';
import { COMPARE_RESULTS } from '../contract/result.js';
import { CHANNELS } from '../contract/options.js';
export { CompareResultSchema, FaceSchema, PointSchema as LandmarkPointSchema, COMPARE_RESULTS } from '../contract/result.js';
export type { CompareResult, Face } from '../contract/result.js';

export const SALES_CHANNELS = CHANNELS;
export const SalesChannelSchema = z.enum(SALES_CHANNELS);
export type SalesChannel = z.infer<typeof SalesChannelSchema>;

export const CompareResultTextSchema = z.enum(COMPARE_RESULTS);
export type CompareResultText = z.infer<typeof CompareResultTextSchema>;

/** ISO-8601 date-time; the platform sends local times without offset (`2024-05-01T12:12:06.090098`). */
const DateTimeSchema = z.iso.datetime({ local: true, offset: true });
/** 8-4-4-4-12 hex id (lenient about the RFC version/variant nibbles). */
export const IdSchema = z.guid();

// ---------------------------------------------------------------------------------------------
// /v1/face-recognition entity (camelCase, every field optional)

const ScanEntityShape = z.object({
  id: IdSchema.optional(),
  companyId: IdSchema.optional(),
  createdDate: DateTimeSchema.optional(),
  updatedDate: DateTimeSchema.optional(),
  createdById: IdSchema.optional(),
  updatedById: IdSchema.optional(),
  /** Seconds the extraction took. */
  elapsedTime: z.number().nonnegative().optional(),
  compareResult: CompareResultTextSchema.optional(),
  compareSimilarity: z.number().optional(),
  salesChannel: SalesChannelSchema.optional(),
});

function dropNulls(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
}

/**
 * A scan record. `null` fields (Jackson's default) read as absent; unknown fields are dropped, so a
 * platform that adds fields does not break the client.
 */
export const ScanEntitySchema = z.preprocess(dropNulls, ScanEntityShape);
export type ScanEntity = z.output<typeof ScanEntityShape>;

// ---------------------------------------------------------------------------------------------
// Spring Data page envelope

export const SpringPageSchema = z.object({
  content: z.array(z.unknown()),
  totalElements: z.number().int().nonnegative(),
  totalPages: z.number().int().nonnegative(),
  number: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  last: z.boolean().optional(),
});
export type SpringPage = z.infer<typeof SpringPageSchema>;
