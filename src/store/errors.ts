/** Typed errors of the offline store. */
export type StoreErrorCode =
  /** Saving would exceed the budget and only unsynced scans are left to evict: nothing is dropped silently. */
  | 'STORE_FULL'
  /** The scan failed the compare-result schema. */
  | 'INVALID_SCAN'
  /** IndexedDB is missing or refused (private mode, quota, blocked upgrade). */
  | 'STORE_UNAVAILABLE';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
  }
}
