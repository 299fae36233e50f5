// Everything a caller may import, from one place.
export { FaceError, isFaceError, ERROR_CODES, type FaceErrorCode, type FaceErrorDetails } from './errors.js';
export {
  CompareResultSchema, FaceSchema, PointSchema, CompareOptionsSchema, AnalyzeOptionsSchema, CHANNELS, COMPARE_RESULTS,
  type CompareResult, type Face, type Point, type Channel, type CompareOptions, type AnalyzeOptions,
} from './schema.js';
export { PLATFORM_THRESHOLD, CALIBRATION, calibratedSimilarity, cosineForSimilarity } from './calibration.js';
export { MAX_INPUT_PIXELS } from './limits.js';
export type { RgbaImage } from './image.js';
export type { StageTimings } from './timing.js';
// Platform REST client (docs/platform-client.md).
export {
  createPlatformClient, createPkceAuth, toScanEntity, PlatformError, isPlatformError, springPagination, memoryStorage,
  staticToken, ScanEntitySchema, SpringPageSchema,
  type PlatformClient, type PlatformClientOptions, type ScanEntity, type PlatformErrorCode, type TokenProvider,
  type PkceAuth, type PkceAuthOptions, type Page, type PaginationAdapter,
} from './platform/index.js';
// Offline-first scan store and outbox sync (docs/offline.md).
export {
  openScanStore, createScanSync, StoreError, MODEL_CACHE_NAME,
  type ScanStore, type ScanStoreOptions, type StoredScan, type OutboxEntry, type SaveExtras, type SyncState,
  type ScanSync, type ScanSyncOptions, type SyncStatus, type StoreErrorCode,
} from './store/index.js';
