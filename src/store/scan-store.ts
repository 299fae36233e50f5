/**
 * Offline-first scan store on IndexedDB (idb). Every saved scan gets its outbox entry in the same
 * transaction, so a scan is either stored and queued for sync, or not stored at all.
 *
 * Privacy by default: the result JSON is stored, not the photos. Images and embeddings are kept only
 * when the caller passes them, sealed with AES-GCM under a non-extractable device key.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { formatIssues } from '../contract/errors.js';
import { CompareResultSchema, type CompareResult } from '../contract/result.js';
import { StoreError } from './errors.js';
import { generateKey, open, seal, type Sealed } from './secret-box.js';

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

interface ScanDB extends DBSchema {
  scans: { key: string; value: StoredScan; indexes: { 'by-reference': string; 'by-created': number; 'by-sync': SyncState } };
  outbox: { key: string; value: OutboxEntry; indexes: { 'by-state': string } };
  keys: { key: string; value: CryptoKey };
}

export interface ScanStoreOptions {
  /** Database name (one per app or tenant). Default 'face-sdk'. */
  name?: string;
  /** Most scans kept. Default 10 000. */
  maxScans?: number;
  /** Most bytes kept (approximate). Default 50 MB. */
  maxBytes?: number;
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

const DEFAULTS = { name: 'face-sdk', maxScans: 10_000, maxBytes: 50_000_000 };
const KEY_ID = 'scan-extras';
// Chromium defaults to relaxed durability; a saved scan must survive a crash right after save().
const DURABLE = { durability: 'strict' } as const;

async function toBytes(v: Blob | Uint8Array): Promise<Uint8Array> {
  return v instanceof Uint8Array ? v : new Uint8Array(await v.arrayBuffer());
}

/** Extras → one byte string: JSON header of lengths, then the parts. */
async function packExtras(extras: SaveExtras): Promise<Uint8Array | undefined> {
  const parts: [string, Uint8Array][] = [];
  for (const k of ['face1', 'face2'] as const) {
    const img = extras.images?.[k];
    if (img) parts.push([`image.${k}`, await toBytes(img)]);
    const emb = extras.embeddings?.[k];
    if (emb) parts.push([`embedding.${k}`, new Uint8Array(emb.buffer.slice(emb.byteOffset, emb.byteOffset + emb.byteLength))]);
  }
  if (!parts.length) return undefined;
  const header = new TextEncoder().encode(JSON.stringify(parts.map(([n, b]) => [n, b.length])));
  const out = new Uint8Array(4 + header.length + parts.reduce((s, [, b]) => s + b.length, 0));
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  let o = 4 + header.length;
  for (const [, b] of parts) { out.set(b, o); o += b.length; }
  return out;
}

function unpackExtras(bytes: Uint8Array): Omit<SaveExtras, 'elapsedTime'> {
  const hl = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + hl))) as [string, number][];
  const res: Omit<SaveExtras, 'elapsedTime'> = {};
  let o = 4 + hl;
  for (const [name, len] of header) {
    const part = bytes.slice(o, o + len);
    o += len;
    const [kind, face] = name.split('.') as ['image' | 'embedding', 'face1' | 'face2'];
    if (kind === 'image') (res.images ??= {})[face] = part;
    else (res.embeddings ??= {})[face] = new Float32Array(part.buffer);
  }
  return res;
}

export async function openScanStore(options: ScanStoreOptions = {}): Promise<ScanStore> {
  const opts = { ...DEFAULTS, ...options };
  let db: IDBPDatabase<ScanDB>;
  try {
    db = await openDB<ScanDB>(opts.name, 1, {
      upgrade(d) {
        const scans = d.createObjectStore('scans', { keyPath: 'id' });
        scans.createIndex('by-reference', 'reference');
        scans.createIndex('by-created', 'createdMs');
        scans.createIndex('by-sync', 'syncState');
        const outbox = d.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('by-state', 'state');
        d.createObjectStore('keys');
      },
    });
  } catch (e) {
    throw new StoreError('STORE_UNAVAILABLE', `IndexedDB is not available: ${(e as Error).message}`);
  }

  const deviceKey = async (): Promise<CryptoKey> => {
    const existing = await db.get('keys', KEY_ID);
    if (existing) return existing;
    const key = await generateKey();
    await db.put('keys', key, KEY_ID);
    return key;
  };

  /** Evicts oldest synced scans until `incoming` fits; never an unsynced one. */
  const makeRoom = async (incomingBytes: number): Promise<void> => {
    const tx = db.transaction('scans', 'readwrite', DURABLE);
    let count = await tx.store.count();
    let bytes = 0;
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) bytes += c.value.bytes;
    for (let c = await tx.store.index('by-created').openCursor(); c && (count + 1 > opts.maxScans || bytes + incomingBytes > opts.maxBytes); c = await c.continue()) {
      if (c.value.syncState !== 'synced') continue;
      bytes -= c.value.bytes;
      count--;
      await c.delete();
    }
    await tx.done;
    if (count + 1 > opts.maxScans || bytes + incomingBytes > opts.maxBytes) {
      throw new StoreError('STORE_FULL', `the store is full (${count} scans, ${bytes} bytes; budget ${opts.maxScans} scans, ${opts.maxBytes} bytes) and holds only unsynced scans: sync or delete before saving more`);
    }
  };

  const store: ScanStore = {
    async save(scan, extras = {}) {
      const parsed = CompareResultSchema.safeParse(scan);
      if (!parsed.success) throw new StoreError('INVALID_SCAN', `not a compare result: ${formatIssues(parsed.error.issues, 'scan')}`);
      // Crypto first: an IndexedDB transaction commits itself while awaiting anything else.
      const packed = await packExtras(extras);
      const sealed = packed ? await seal(await deviceKey(), packed) : undefined;
      const json = JSON.stringify(parsed.data);
      const record: StoredScan = {
        id: parsed.data.id,
        reference: parsed.data.reference,
        createdMs: Date.parse(parsed.data.created),
        scan: parsed.data,
        elapsedTime: extras.elapsedTime,
        syncState: 'pending',
        bytes: json.length + (sealed?.data.byteLength ?? 0),
        sealed,
      };
      await makeRoom(record.bytes);
      const tx = db.transaction(['scans', 'outbox'], 'readwrite', DURABLE);
      await Promise.all([
        tx.objectStore('scans').put(record),
        tx.objectStore('outbox').put({ id: record.id, state: 'pending', attempts: 0, notBefore: 0, enqueuedAt: Date.now() }),
        tx.done,
      ]);
      return record;
    },
    get: (id) => db.get('scans', id),
    byReference: (reference) => db.getAllFromIndex('scans', 'by-reference', reference),
    byDate: (from, to) => db.getAllFromIndex('scans', 'by-created', IDBKeyRange.bound(from.getTime(), to.getTime(), false, true)),
    async list({ offset = 0, limit = 50 } = {}) {
      const tx = db.transaction('scans');
      const total = await tx.store.count();
      const items: StoredScan[] = [];
      let c = await tx.store.index('by-created').openCursor(null, 'prev');
      if (c && offset) c = await c.advance(offset);
      for (; c && items.length < limit; c = await c.continue()) items.push(c.value);
      return { items, total };
    },
    async extras(id) {
      const rec = await db.get('scans', id);
      if (!rec?.sealed) return undefined;
      return unpackExtras(await open(await deviceKey(), rec.sealed));
    },
    async delete(id) {
      const tx = db.transaction(['scans', 'outbox'], 'readwrite', DURABLE);
      await Promise.all([tx.objectStore('scans').delete(id), tx.objectStore('outbox').delete(id), tx.done]);
    },
    async usage() {
      const tx = db.transaction(['scans', 'outbox']);
      let bytes = 0;
      for (let c = await tx.objectStore('scans').openCursor(); c; c = await c.continue()) bytes += c.value.bytes;
      const outbox = tx.objectStore('outbox').index('by-state');
      return {
        scans: await tx.objectStore('scans').count(),
        bytes,
        pending: await outbox.count('pending'),
        failed: await outbox.count('failed'),
      };
    },
    async wipe() {
      const tx = db.transaction(['scans', 'outbox', 'keys'], 'readwrite', DURABLE);
      await Promise.all([tx.objectStore('scans').clear(), tx.objectStore('outbox').clear(), tx.objectStore('keys').clear(), tx.done]);
    },
    close: () => db.close(),
    outbox: {
      async due(now, limit = 20) {
        const pending = await db.getAllFromIndex('outbox', 'by-state', 'pending');
        return pending.filter((e) => e.notBefore <= now).sort((a, b) => a.enqueuedAt - b.enqueuedAt).slice(0, limit);
      },
      all: () => db.getAll('outbox'),
      async markSynced(id, at) {
        const tx = db.transaction(['scans', 'outbox'], 'readwrite', DURABLE);
        const scans = tx.objectStore('scans');
        const rec = await scans.get(id);
        if (rec) await scans.put({ ...rec, syncState: 'synced', syncedAt: at });
        await tx.objectStore('outbox').delete(id);
        await tx.done;
      },
      async markRetry(id, error, notBefore, status) {
        const tx = db.transaction('outbox', 'readwrite', DURABLE);
        const e = await tx.store.get(id);
        if (e) await tx.store.put({ ...e, attempts: e.attempts + 1, notBefore, lastError: error, lastStatus: status });
        await tx.done;
      },
      async markFailed(id, error, status) {
        const tx = db.transaction(['scans', 'outbox'], 'readwrite', DURABLE);
        const e = await tx.objectStore('outbox').get(id);
        if (e) await tx.objectStore('outbox').put({ ...e, state: 'failed', attempts: e.attempts + 1, lastError: error, lastStatus: status });
        const rec = await tx.objectStore('scans').get(id);
        if (rec) await tx.objectStore('scans').put({ ...rec, syncState: 'failed' });
        await tx.done;
      },
      async retryFailed() {
        const tx = db.transaction(['scans', 'outbox'], 'readwrite', DURABLE);
        const failed = await tx.objectStore('outbox').index('by-state').getAll('failed');
        for (const e of failed) {
          await tx.objectStore('outbox').put({ ...e, state: 'pending', notBefore: 0 });
          const rec = await tx.objectStore('scans').get(e.id);
          if (rec) await tx.objectStore('scans').put({ ...rec, syncState: 'pending' });
        }
        await tx.done;
        return failed.length;
      },
    },
  };
  return store;
}
