/** The offline store's records and its interface: what IndexedDB holds and what callers get. */
import type { DBSchema } from 'idb';
import type { CompareResult } from '../contract/result.js';
import type { Sealed } from './secret-box.js';

export type SyncState = 'pending' | 'synced' | 'failed';

export interface StoredScan {
  id: string;
  reference: string;
  /** Epoch ms of `scan.created`, for date queries. */
  createdMs: number;
  scan: CompareResult;
  /** Seconds the extraction took, sent as the entity's elapsedTime. */
  elapsedTime?: number;
  syncState: SyncState;
  syncedAt?: number;
  /** Approximate bytes this record occupies (JSON + sealed extras), for the budget. */
  bytes: number;
  /** Sealed extras (images, embeddings) when the caller chose to keep them. */
  sealed?: Sealed;
}

export interface OutboxEntry {
  id: string;
  state: 'pending' | 'failed';
  attempts: number;
  /** Epoch ms before which the entry is not retried (backoff). */
  notBefore: number;
  enqueuedAt: number;
  lastError?: string;
  /** HTTP status of the last failed attempt, when there was one. */
  lastStatus?: number;
}

export interface ScanDB extends DBSchema {
  scans: { key: string; value: StoredScan; indexes: { 'by-reference': string; 'by-created': number; 'by-sync': SyncState } };
  outbox: { key: string; value: OutboxEntry; indexes: { 'by-state': string } };
  keys: { key: string; value: CryptoKey };
}

/** Optional extras to keep with a scan; sealed at rest. */
export interface SaveExtras {
  elapsedTime?: number;
  images?: { face1?: Blob | Uint8Array; face2?: Blob | Uint8Array };
  embeddings?: { face1?: Float32Array; face2?: Float32Array };
}

export interface ScanPage {
  items: StoredScan[];
  total: number;
}

export interface ScanStore {
  /** Stores the scan and queues it for sync, durably, before resolving. */
  save(scan: CompareResult, extras?: SaveExtras): Promise<StoredScan>;
  get(id: string): Promise<StoredScan | undefined>;
  byReference(reference: string): Promise<StoredScan[]>;
  /** Scans created in [from, to), oldest first. */
  byDate(from: Date, to: Date): Promise<StoredScan[]>;
  /** Newest first. */
  list(options?: { offset?: number; limit?: number }): Promise<ScanPage>;
  /** The sealed extras, decrypted. */
  extras(id: string): Promise<Omit<SaveExtras, 'elapsedTime'> | undefined>;
  delete(id: string): Promise<void>;
  usage(): Promise<{ scans: number; bytes: number; pending: number; failed: number }>;
  /** Deletes every scan, outbox entry and the device key. */
  wipe(): Promise<void>;
  close(): void;
  /** Outbox, for the sync engine. */
  outbox: {
    due(now: number, limit?: number): Promise<OutboxEntry[]>;
    all(): Promise<OutboxEntry[]>;
    markSynced(id: string, at: number): Promise<void>;
    markRetry(id: string, error: string, notBefore: number, status?: number): Promise<void>;
    markFailed(id: string, error: string, status?: number): Promise<void>;
    /** Puts failed entries back in the queue (after the cause is fixed). */
    retryFailed(): Promise<number>;
  };
}

// Chromium defaults to relaxed durability; a saved scan must survive a crash right after save().
export const DURABLE = { durability: 'strict' } as const;
