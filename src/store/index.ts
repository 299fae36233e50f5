/**
 * Offline-first scan storage and sync (docs/offline.md).
 * @module face-compare-sdk/store
 */
export { openScanStore, type ScanStore, type ScanStoreOptions, type StoredScan, type OutboxEntry, type SaveExtras, type SyncState, type ScanPage } from './scan-store.js';
export { createScanSync, type ScanSync, type ScanSyncOptions, type SyncStatus } from './sync.js';
export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';
