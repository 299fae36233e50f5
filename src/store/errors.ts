import { SdkError } from '../contract/errors.js';

/** Typed errors of the offline store. */
export type StoreErrorCode =
  /** Saving would exceed the budget and only unsynced scans are left to evict: nothing is dropped silently. */
  | 'STORE_FULL'
  /** The scan failed the compare-result schema. */
  | 'INVALID_SCAN'
  /** IndexedDB is missing or refused (a private mode, storage cleared or closed by the browser). */
  | 'STORE_UNAVAILABLE'
  /** The browser's storage quota refused the write: the scan was not stored, nothing stored before is lost. */
  | 'STORE_QUOTA'
  /** Another tab keeps an older version of the store open and does not let this one upgrade it. */
  | 'STORE_BLOCKED';

/** A failed IndexedDB operation as a StoreError: quota apart, anything else means the store is gone. */
export function storeFailure(e: unknown, what: string): StoreError {
  if (e instanceof StoreError) return e;
  const name = (e as { name?: string } | undefined)?.name;
  const message = e instanceof Error ? e.message : String(e);
  if (name === 'QuotaExceededError') return new StoreError('STORE_QUOTA', `${what}: the browser's storage quota is exhausted (${message})`, {}, { cause: e });
  return new StoreError('STORE_UNAVAILABLE', `${what}: ${message}`, {}, { cause: e });
}

export class StoreError extends SdkError<StoreErrorCode> {
  override readonly name = 'StoreError';
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
