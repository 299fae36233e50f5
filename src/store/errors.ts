import { SdkError } from '../contract/errors.js';

/** Typed errors of the offline store. */
export type StoreErrorCode =
  /** Saving would exceed the budget and only unsynced scans are left to evict: nothing is dropped silently. */
  | 'STORE_FULL'
  /** The scan failed the compare-result schema. */
  | 'INVALID_SCAN'
  /** IndexedDB is missing or refused (private mode, quota, blocked upgrade). */
  | 'STORE_UNAVAILABLE';

export class StoreError extends SdkError<StoreErrorCode> {
  override readonly name = 'StoreError';
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
