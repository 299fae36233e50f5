// @vitest-environment node
/**
 * Offline store and sync in Node: IndexedDB from fake-indexeddb, the real platform test server on
 * a loopback port, real compare results from the engine.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFaceRecognizer } from '../src/node/index.js';
import type { CompareResult } from '../src/contract/result.js';
import { createScanSync, openScanStore, StoreError, type ScanStore } from '../src/store/index.js';
import { harness, type Harness } from './platform/support.js';
import { LFW } from './helpers.js';

let base: CompareResult;
let h: Harness;
beforeAll(async () => {
  const fr = await createFaceRecognizer();
  base = await fr.compareFaces(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`, `${LFW}Aaron_Peirsol/Aaron_Peirsol_0002.jpg`, { reference: 'lfw-1' });
  await fr.dispose();
  h = await harness();
});
afterAll(() => h.server.close());
beforeEach(() => h.reset());

let dbSeq = 0;
const freshStore = (opts = {}) => openScanStore({ name: `test-${++dbSeq}`, ...opts });
/** A real scan under a new id (and optionally another reference/date). */
const scanLike = (reference = base.reference, created = new Date().toISOString()): CompareResult => ({ ...base, id: crypto.randomUUID(), reference, created });

describe('scan store', () => {
  it('saves, finds by id, reference and date, pages newest first, deletes', async () => {
    const store = await freshStore();
    const days = ['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z'];
    const saved = [];
    for (const [i, d] of days.entries()) saved.push(await store.save(scanLike(i === 1 ? 'contract-7' : 'other', d)));
    expect((await store.get(saved[0].id))?.scan).toEqual(saved[0].scan);
    expect((await store.byReference('contract-7')).map((s) => s.id)).toEqual([saved[1].id]);
    expect((await store.byDate(new Date('2026-01-02T00:00:00Z'), new Date('2026-01-04T00:00:00Z'))).map((s) => s.id)).toEqual([saved[1].id, saved[2].id]);
    const page = await store.list({ offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3 });
    expect(page.items.map((s) => s.id)).toEqual([saved[1].id]);
    await store.delete(saved[1].id);
    expect(await store.get(saved[1].id)).toBeUndefined();
    expect(await store.usage()).toMatchObject({ scans: 2, pending: 2, failed: 0 });
    store.close();
  });

  it('every save is queued in the outbox in the same transaction; invalid scans are refused', async () => {
    const store = await freshStore();
    const s = await store.save(scanLike());
    expect((await store.outbox.all()).map((e) => e.id)).toEqual([s.id]);
    await expect(store.save({ ...scanLike(), face1: undefined } as never)).rejects.toMatchObject({ code: 'INVALID_SCAN' });
    expect(await store.outbox.all()).toHaveLength(1);
    store.close();
  });

  it('stores no photos by default; kept extras are sealed with AES-GCM and read back exactly', async () => {
    const store = await freshStore();
    const plain = await store.save(scanLike());
    expect(plain.sealed).toBeUndefined();
    const image = new Uint8Array(4096).map((_, i) => (i * 7) & 255);
    const embedding = new Float32Array(512).map((_, i) => Math.sin(i));
    const s = await store.save(scanLike(), { images: { face1: image }, embeddings: { face2: embedding } });
    // At rest: ciphertext, not the image bytes.
    const raw = new Uint8Array(s.sealed!.data);
    expect(raw.length).toBeGreaterThan(image.length);
    expect(Buffer.from(raw).includes(Buffer.from(image.subarray(0, 64)))).toBe(false);
    const back = await store.extras(s.id);
    expect(back?.images?.face1).toEqual(image);
    expect(Array.from(back!.embeddings!.face2!)).toEqual(Array.from(embedding));
    store.close();
  });

  it('over budget, the oldest synced scans go first; unsynced ones are never dropped silently', async () => {
    const store = await freshStore({ maxScans: 3 });
    const a = await store.save(scanLike('a', '2026-01-01T00:00:00Z'));
    const b = await store.save(scanLike('b', '2026-01-02T00:00:00Z'));
    const c = await store.save(scanLike('c', '2026-01-03T00:00:00Z'));
    await store.outbox.markSynced(b.id, Date.now());
    await store.outbox.markSynced(a.id, Date.now());
    const d = await store.save(scanLike('d', '2026-01-04T00:00:00Z'));
    expect(await store.get(a.id)).toBeUndefined(); // oldest synced
    expect(await store.get(b.id)).toBeDefined();
    await store.save(scanLike('e', '2026-01-05T00:00:00Z')); // evicts b
    expect(await store.get(b.id)).toBeUndefined();
    const full = await store.save(scanLike('f')).catch((e) => e);
    expect(full).toBeInstanceOf(StoreError);
    expect(full.code).toBe('STORE_FULL');
    expect(await store.get(c.id)).toBeDefined();
    expect(await store.get(d.id)).toBeDefined();
    store.close();
  });

  it('wipe() removes scans, outbox and the device key', async () => {
    const store = await freshStore();
    await store.save(scanLike(), { images: { face1: new Uint8Array([1, 2, 3]) } });
    await store.wipe();
    expect(await store.usage()).toEqual({ scans: 0, bytes: 0, pending: 0, failed: 0 });
    store.close();
  });
});

describe('sync to the platform server', () => {
  const fastSync = (store: ScanStore, client = h.client()) => createScanSync({ store, client, backoff: { baseMs: 1, maxMs: 5 }, pollMs: 20 });
  const stored = (id: string) => h.server.store.get(id);

  it('sends every queued scan once, with the entity fields, and marks it synced', async () => {
    const store = await freshStore();
    const scans = [await store.save(scanLike(), { elapsedTime: 0.42 }), await store.save(scanLike())];
    const sync = fastSync(store);
    await sync.syncNow();
    for (const s of scans) {
      expect(h.count(`PUT /v1/face-recognition/${s.id}`)).toBe(1);
      expect(stored(s.id)).toMatchObject({ id: s.id, compareResult: s.scan.compare_result, compareSimilarity: s.scan.compare_similarity, salesChannel: s.scan.channel });
      expect((await store.get(s.id))?.syncState).toBe('synced');
    }
    expect(stored(scans[0].id)?.elapsedTime).toBe(0.42);
    expect(await sync.status()).toMatchObject({ pending: 0, failed: 0 });
    await sync.syncNow();
    expect(h.count(`PUT /v1/face-recognition/${scans[0].id}`)).toBe(1); // nothing resent
    store.close();
  });

  it('server faults (500, 429, dropped connection) lose nothing: retried until delivered', async () => {
    const store = await freshStore();
    const scans = [await store.save(scanLike()), await store.save(scanLike()), await store.save(scanLike())];
    h.server.faults.inject({ kind: 'status', status: 500, method: 'PUT', times: 5 });
    h.server.faults.inject({ kind: 'rateLimit', retryAfterSec: 0, method: 'PUT', times: 2 });
    h.server.faults.inject({ kind: 'drop', method: 'PUT', times: 3 });
    const sync = fastSync(store);
    sync.start();
    const deadline = Date.now() + 20_000;
    while ((await store.usage()).pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await sync.stop();
    expect(h.server.faults.served).toMatchObject({ status: 5, rateLimit: 2, drop: 3 });
    for (const s of scans) {
      expect(stored(s.id)?.id).toBe(s.id);
      expect((await store.get(s.id))?.syncState).toBe('synced');
    }
    expect(h.server.store.sorted([])).toHaveLength(3);
    store.close();
  }, 30_000);

  it('a permanent refusal (400) is marked failed with the server message and kept', async () => {
    const store = await freshStore();
    const s = await store.save(scanLike());
    h.server.faults.inject({ kind: 'status', status: 400, message: 'reference not allowed', method: 'PUT' });
    const sync = fastSync(store);
    await sync.syncNow();
    const [entry] = await store.outbox.all();
    expect(entry).toMatchObject({ id: s.id, state: 'failed', lastStatus: 400 });
    expect(entry.lastError).toContain('reference not allowed');
    expect((await store.get(s.id))?.syncState).toBe('failed');
    expect(await sync.status()).toMatchObject({ failed: 1, pending: 0 });
    // Once the cause is fixed, the caller re-queues it.
    expect(await store.outbox.retryFailed()).toBe(1);
    await sync.syncNow();
    expect(stored(s.id)?.id).toBe(s.id);
    store.close();
  });

  it('network down: entries stay queued with the error, then go out when it is back', async () => {
    const store = await freshStore();
    const s = await store.save(scanLike());
    const down = h.client({ baseUrl: 'http://127.0.0.1:9', retry: { retries: 0 } });
    await fastSync(store, down).syncNow();
    const [entry] = await store.outbox.all();
    expect(entry).toMatchObject({ state: 'pending', attempts: 1 });
    expect(entry.lastError).toMatch(/NETWORK/);
    await new Promise((r) => setTimeout(r, 10));
    await fastSync(store).syncNow();
    expect(stored(s.id)?.id).toBe(s.id);
    store.close();
  });
});
