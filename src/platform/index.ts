/**
 * The platform REST client (`/v1/face-recognition`, compare_face), its errors and the OAuth2 PKCE
 * helper. Reference: docs/platform-client.md. The compare_face schemas are in `face-compare-sdk/schema`.
 * @module face-compare-sdk/platform
 */
export {
  createPlatformClient,
  type PlatformClient, type PlatformClientOptions, type CallOptions, type ListPageOptions, type ListAllOptions, type CompareFaceOptions,
} from './client.js';
export type { TokenProvider, RetryEvent } from './transport.js';
export type { RetryOptions } from './retry.js';
export { springPagination, type Page, type PageRequest, type PaginationAdapter, type RawPage } from './pagination.js';
export { PlatformError, isPlatformError, type PlatformErrorCode } from './errors.js';
export { ScanEntitySchema, type ScanEntity } from './schemas.js';
export { toScanEntity, type ScanEntityExtras } from './entity.js';
export { createPkceAuth, type PkceAuth, type PkceAuthOptions, type TokenSet, type LoginOptions } from './pkce.js';
export { memoryStorage, type KeyValueStorage } from './storage.js';
export { staticToken } from './token.js';
