/** Platform compare result (snake_case, as the engine or compare_face returns it) → scan entity (camelCase). */
import { ScanEntitySchema, type ScanEntity } from './schemas.js';
import { validate } from './validate.js';

/** The fields of a compare result that the entity carries; a full CompareResult fits. */
export interface CompareResultLike {
  id?: string;
  created?: string;
  channel?: string;
  compare_result?: string;
  compare_similarity?: number;
}

/** What the compare result does not know: timing and the platform's bookkeeping fields. */
export interface ScanEntityExtras {
  /** Seconds the extraction took (the entity's unit is seconds, not ms). */
  elapsedTime?: number;
  companyId?: string;
  createdById?: string;
  updatedById?: string;
  updatedDate?: string;
  /** Overrides `created` of the result. */
  createdDate?: string;
  /** Overrides `id` of the result. */
  id?: string;
}

/**
 * Map a local (or remote) compare result to the `/v1/face-recognition` entity. The result is
 * validated; a bad field throws PlatformError `INVALID_INPUT` naming it. `reference` and the
 * per-face analysis have no place in the entity and are dropped.
 */
export function toScanEntity(result: CompareResultLike, extras: ScanEntityExtras = {}): ScanEntity {
  const raw: Record<string, unknown> = {
    id: extras.id ?? result.id,
    createdDate: extras.createdDate ?? result.created,
    updatedDate: extras.updatedDate,
    companyId: extras.companyId,
    createdById: extras.createdById,
    updatedById: extras.updatedById,
    elapsedTime: extras.elapsedTime,
    compareResult: result.compare_result,
    compareSimilarity: result.compare_similarity,
    salesChannel: result.channel,
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return validate(ScanEntitySchema, raw, { what: 'scan entity', code: 'INVALID_INPUT' });
}
