/**
 * Public API of the platform REST client.
 * @module face-compare-sdk/platform
 */
export { createPlatformClient } from './client.js';
export type {
  PlatformClient,
  PlatformClientOptions,
  CallOptions,
  ListPageOptions,
  ListAllOptions,
  CompareFaceOptions,
  PlatformImageInput,
} from './client.js';
export type { TokenProvider, FetchLike, RetryEvent, TransportOptions, HttpMethod } from './transport.js';
export type { RetryOptions } from './retry.js';
export { springPagination } from './pagination.js';
export type { Page, PageRequest, PaginationAdapter, RawPage } from './pagination.js';
export { PlatformError, isPlatformError } from './errors.js';
export type { PlatformErrorCode, SchemaIssue } from './errors.js';
export {
  CompareResultSchema,
  FaceSchema,
  LandmarkPointSchema,
  ScanEntitySchema,
  SpringPageSchema,
  SalesChannelSchema,
  CompareResultTextSchema,
  SALES_CHANNELS,
  COMPARE_RESULTS,
} from './schemas.js';
export type { CompareResult, Face, ScanEntity, SalesChannel, CompareResultText, SpringPage } from './schemas.js';
export { toScanEntity } from './entity.js';
export type { CompareResultLike, ScanEntityExtras } from './entity.js';
export { createPkceAuth } from './pkce.js';
export type { PkceAuth, PkceAuthOptions, TokenSet, LoginOptions } from './pkce.js';
export { memoryStorage } from './storage.js';
export type { KeyValueStorage } from './storage.js';

/** A TokenProvider for a fixed token (scripts, tests). It cannot refresh. */
export function staticToken(token: string): { getAccessToken(): string } {
  return { getAccessToken: () => token };
}
