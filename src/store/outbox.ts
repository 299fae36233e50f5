/** The outbox: which stored scans still have to reach the platform, and how each attempt went. */
import type { IDBPDatabase } from 'idb';
import { DURABLE, type ScanDB, type ScanStore } from './types.js';

export function outboxOf(db: IDBPDatabase<ScanDB>): ScanStore['outbox'] {
  return {
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
  };
}
