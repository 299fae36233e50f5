/**
 * Saving scans to the platform: the one place the page talks to the REST API, through the offline
 * store (docs/offline.md). `save` writes the scan and its outbox entry to IndexedDB (durable before
 * it reports `queued`), then the sync engine PUTs it by id — now if the platform is reachable, else
 * when the network returns, after a reload or in another tab. The page loads this module with
 * import() once a platform URL is set (on load, so scans left by an earlier session go out too).
 */
import type { CompareResult } from 'face-compare-sdk';
import { createPlatformClient, type TokenProvider } from 'face-compare-sdk/platform';
import { createScanSync, openScanStore, type ScanStore, type ScanSync, type SyncStatus } from 'face-compare-sdk/store';

/** `queued`: kept on the device, to be sent later. */
export type SaveState = 'off' | 'saving' | 'queued' | 'saved' | 'offline' | 'failed';

export interface SaveStatus { state: SaveState; message: string }

export interface ScanSaver {
  /**
   * Stores one scan and queues it; resolves after the first send attempt with the status then
   * (`saved`, `failed` or `queued`) and never rejects. Later changes of this scan's status (a queued
   * scan delivered or refused) keep coming to `onStatus`.
   */
  save(scan: CompareResult, elapsedMs: number, onStatus: (s: SaveStatus) => void): Promise<SaveStatus>;
  /** The outbox (pending, failed, last sync, last error) now and after every change. */
  onOutbox(listener: (s: SyncStatus) => void): () => void;
  /** Stops the sync loop and closes the store (another URL or token was configured). */
  close(): Promise<void>;
}

export interface SaverOptions {
  /** Sync backoff base in ms (default 2 s, doubling to 5 min). Tests make it short. */
  backoffMs?: number;
  /** How often to look for due scans, ms (default 5 s). */
  pollMs?: number;
}

export async function createScanSaver(baseUrl: string, auth?: TokenProvider, options: SaverOptions = {}): Promise<ScanSaver> {
  // No client-side retries: the sync engine backs off itself and keeps the scan until it is delivered.
  const client = createPlatformClient({ baseUrl, auth, timeoutMs: 15_000, retry: { retries: 0 } });
  const store: ScanStore = await openScanStore();
  const sync: ScanSync = createScanSync({
    store, client,
    ...(options.backoffMs ? { backoff: { baseMs: options.backoffMs, maxMs: Math.max(options.backoffMs * 8, 1000) } } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  const listeners = new Set<(s: SyncStatus) => void>();
  const emit = async () => {
    const s = await sync.status().catch(() => undefined);
    if (s) for (const l of listeners) l(s);
  };
  sync.onChange((s) => listeners.forEach((l) => l(s)));
  sync.start();

  /** Where one scan stands, from the store (shared by every tab of the origin). */
  const statusOf = async (id: string): Promise<SaveStatus> => {
    const rec = await store.get(id);
    if (rec?.syncState === 'synced') return { state: 'saved', message: `Saved to the platform (scan ${id})` };
    const entry = (await store.outbox.all()).find((e) => e.id === id);
    if (rec?.syncState === 'failed' || entry?.state === 'failed') return { state: 'failed', message: `Not saved — ${entry?.lastError ?? 'refused by the platform'}` };
    const why = !navigator.onLine ? 'offline' : entry?.lastError ? `retrying after ${entry.lastError}` : 'sending';
    return { state: 'queued', message: `Queued on this device (${why}) — it will be sent to the platform` };
  };

  return {
    async save(scan, elapsedMs, onStatus) {
      onStatus({ state: 'saving', message: 'Saving on this device…' });
      try {
        await store.save(scan, { elapsedTime: elapsedMs / 1000 });
      } catch (e) {
        const s: SaveStatus = { state: 'failed', message: `Not saved — ${(e as Error).message}` };
        onStatus(s);
        return s;
      }
      void emit();
      await sync.syncNow().catch(() => undefined);
      const now = await statusOf(scan.id);
      onStatus(now);
      if (now.state === 'queued') {
        // Follow it: delivered or refused later (by this tab's loop or another tab's).
        let last = now.message;
        const off = sync.onChange(async () => {
          const s = await statusOf(scan.id);
          if (s.message !== last) onStatus(s);
          last = s.message;
          if (s.state !== 'queued') off();
        });
      }
      return now;
    },
    onOutbox(listener) {
      listeners.add(listener);
      void sync.status().then(listener, () => undefined);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await sync.stop();
      store.close();
    },
  };
}

/** One line for the page: pending, failed, last sync, last error. */
export function describeOutbox(s: SyncStatus): string {
  const parts = [`${s.pending} pending`];
  if (s.failed) parts.push(`${s.failed} failed`);
  parts.push(s.lastSyncAt ? `last sync ${new Date(s.lastSyncAt).toLocaleTimeString()}` : 'no sync yet');
  if (s.lastError && (s.pending || s.failed)) parts.push(`last error: ${s.lastError}`);
  return `Outbox: ${parts.join(' · ')}${s.online ? '' : ' (offline)'}`;
}
