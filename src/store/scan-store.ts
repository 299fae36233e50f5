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
import { StoreError, storeFailure } from './errors.js';
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
    db = await new Promise<IDBPDatabase<ScanDB>>((resolve, reject) => {
      openDB<ScanDB>(opts.name, 1, {
        upgrade: createSchema,
        // Another tab's connection to an older version keeps ours from opening: say so, do not wait.
        blocked: () => reject(new StoreError('STORE_BLOCKED', `another tab keeps an older version of the store "${opts.name}" open: close it, or reload it`)),
        // A newer version (another tab, after an update) wants to upgrade: let it, this tab's calls then fail typed.
        blocking: () => db?.close(),
      }).then(resolve, reject);
    });
  } catch (e) {
    if (e instanceof StoreError) throw e;
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
      try {
        await makeRoom(db, opts, record.bytes);
        // One transaction: the scan and its outbox entry are stored together or not at all.
        const tx = db.transaction(['scans', 'outbox'], 'readwrite', DURABLE);
        await Promise.all([
          tx.objectStore('scans').put(record),
          tx.objectStore('outbox').put({ id: record.id, state: 'pending', attempts: 0, notBefore: 0, enqueuedAt: Date.now() }),
          tx.done,
        ]);
      } catch (e) {
        throw storeFailure(e, `cannot store scan ${record.id}`);
      }
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
  return typedErrors(store);
}

/** Every call's IndexedDB failure as a StoreError (the connection closed by another tab's upgrade, storage cleared…). */
function typedErrors<T extends object>(target: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(target)) {
    wrapped[k] = typeof v === 'function'
      ? (...args: unknown[]) => {
        try {
          const r = v.apply(target, args);
          return r instanceof Promise ? r.catch((e: unknown) => { throw storeFailure(e, `store.${k}`); }) : r;
        } catch (e) {
          throw storeFailure(e, `store.${k}`);
        }
      }
      : v && typeof v === 'object' ? typedErrors(v) : v;
  }
  return wrapped as T;
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

/** Version 1 of the database: scans, their outbox entries, the device key. */
function createSchema(d: IDBPDatabase<ScanDB>): void {
  const scans = d.createObjectStore('scans', { keyPath: 'id' });
  scans.createIndex('by-reference', 'reference');
  scans.createIndex('by-created', 'createdMs');
  scans.createIndex('by-sync', 'syncState');
  const outbox = d.createObjectStore('outbox', { keyPath: 'id' });
  outbox.createIndex('by-state', 'state');
  d.createObjectStore('keys');
}
