/**
 * Offline-first scan store on IndexedDB (idb). Every saved scan gets its outbox entry in the same
 * transaction, so a scan is either stored and queued for sync, or not stored at all.
 *
 * Privacy by default: the result JSON is stored, not the photos. Images and embeddings are kept only
 * when the caller passes them, sealed with AES-GCM under a non-extractable device key.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { formatIssues } from '../contract/errors.js';
import { CompareResultSchema } from '../contract/result.js';
import { StoreError } from './errors.js';
import { packExtras, unpackExtras } from './extras.js';
import { outboxOf } from './outbox.js';
import { generateKey, open, seal } from './secret-box.js';
import { DURABLE, type ScanDB, type ScanStore, type StoredScan } from './types.js';

export type { OutboxEntry, SaveExtras, ScanPage, ScanStore, StoredScan, SyncState } from './types.js';

export interface ScanStoreOptions {
  /** Database name (one per app or tenant). Default 'face-sdk'. */
  name?: string;
  /** Most scans kept. Default 10 000. */
  maxScans?: number;
  /** Most bytes kept (approximate). Default 50 MB. */
  maxBytes?: number;
}

const DEFAULTS = { name: 'face-sdk', maxScans: 10_000, maxBytes: 50_000_000 };
const KEY_ID = 'scan-extras';

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

  const store: ScanStore = {
    async save(scan, extras = {}) {
      const parsed = CompareResultSchema.safeParse(scan);
      if (!parsed.success) throw new StoreError('INVALID_SCAN', `not a compare result: ${formatIssues(parsed.error.issues, 'scan')}`);
      // Crypto first: an IndexedDB transaction commits itself while awaiting anything else.
      const packed = await packExtras(extras);
      const sealed = packed ? await seal(await deviceKey(db), packed) : undefined;
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
      await makeRoom(db, opts, record.bytes);
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
      return unpackExtras(await open(await deviceKey(db), rec.sealed));
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
    outbox: outboxOf(db),
  };
  return store;
}

/** This device's key for the sealed extras, made on first use. */
async function deviceKey(db: IDBPDatabase<ScanDB>): Promise<CryptoKey> {
  const existing = await db.get('keys', KEY_ID);
  if (existing) return existing;
  const key = await generateKey();
  await db.put('keys', key, KEY_ID);
  return key;
}

/** Evicts oldest synced scans until `incoming` fits; never an unsynced one. */
async function makeRoom(db: IDBPDatabase<ScanDB>, opts: typeof DEFAULTS, incomingBytes: number): Promise<void> {
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
}
