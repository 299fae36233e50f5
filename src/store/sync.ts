/**
 * The outbox → platform sync: each queued scan goes out as an idempotent PUT by id, so a retry after
 * a lost response cannot create a second record. Transient failures (network, timeouts, 401 after the
 * client's refresh, 408, 429, 5xx) back off and retry forever; permanent ones (other 4xx, a scan the
 * platform refuses) are marked failed with the server's message and kept, never dropped.
 * One tab at a time sends: the loop runs under a Web Lock, so two tabs cannot send one scan twice.
 */
import { isPlatformError } from '../platform/errors.js';
import { toScanEntity } from '../platform/entity.js';
import type { PlatformClient } from '../platform/client.js';
import { backoffDelay, isTransient, resolveRetry } from '../platform/retry.js';
import type { ScanStore } from './scan-store.js';

export interface SyncStatus {
  running: boolean;
  online: boolean;
  /** This tab holds the sync lock now. */
  leader: boolean;
  pending: number;
  failed: number;
  lastSyncAt?: number;
  lastError?: string;
}

export interface ScanSyncOptions {
  store: ScanStore;
  client: Pick<PlatformClient, 'updateScan'>;
  /** Web Lock name; one sender per origin and name. Default 'face-sdk-scan-sync'. */
  lockName?: string;
  /** Backoff for transient failures: base, cap (ms). Default 2 s, 5 min. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** How often to look for due entries while started. Default 5 s. */
  pollMs?: number;
}

export interface ScanSync {
  start(): void;
  stop(): Promise<void>;
  /** One pass now (under the lock); resolves when it is done. */
  syncNow(): Promise<void>;
  status(): Promise<SyncStatus>;
  /** Called after every pass and every online/offline change. Returns an unsubscribe function. */
  onChange(listener: (s: SyncStatus) => void): () => void;
}

type LockManagerLike = { request(name: string, opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<void>): Promise<void> };

/** Web Locks where the browser has them; an in-process mutex elsewhere (Node, old browsers). */
function lockManager(): LockManagerLike {
  const locks = (globalThis.navigator as Navigator & { locks?: LockManagerLike } | undefined)?.locks;
  if (locks) return locks;
  const held = new Set<string>();
  return {
    async request(name, _opts, cb) {
      if (held.has(name)) return cb(null);
      held.add(name);
      try {
        await cb(name);
      } finally {
        held.delete(name);
      }
    },
  };
}

export function createScanSync(options: ScanSyncOptions): ScanSync {
  const { store, client } = options;
  const lockName = options.lockName ?? 'face-sdk-scan-sync';
  const baseMs = options.backoff?.baseMs ?? 2000, maxMs = options.backoff?.maxMs ?? 300_000;
  const pollMs = options.pollMs ?? 5000;
  const locks = lockManager();
  const listeners = new Set<(s: SyncStatus) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false, leader = false, lastSyncAt: number | undefined, lastError: string | undefined;
  let pass: Promise<void> | undefined;
  const online = () => (globalThis.navigator && 'onLine' in globalThis.navigator ? globalThis.navigator.onLine : true);

  const retry = resolveRetry({ baseDelayMs: baseMs, maxDelayMs: maxMs });

  const send = () => sendDue(store, client, online, {
    retryAt: (attempts) => Date.now() + backoffDelay(attempts, retry),
    sent: (at) => { lastSyncAt = at; },
    failed: (msg) => { lastError = msg; },
  });

  const notify = async () => {
    if (!listeners.size) return;
    const s = await api.status();
    for (const l of listeners) l(s);
  };

  const runPass = (): Promise<void> => {
    pass ??= locks
      .request(lockName, { ifAvailable: true }, async (lock) => {
        if (!lock) return; // another tab is sending
        leader = true;
        try {
          await send();
        } finally {
          leader = false;
        }
      })
      .finally(() => {
        pass = undefined;
        void notify();
      });
    return pass;
  };

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(async () => {
      if (online()) await runPass().catch(() => undefined);
      schedule();
    }, pollMs);
  };

  const onOnline = () => { void notify(); void runPass(); };
  const onOffline = () => { void notify(); };

  const api: ScanSync = {
    start() {
      if (running) return;
      running = true;
      globalThis.addEventListener?.('online', onOnline);
      globalThis.addEventListener?.('offline', onOffline);
      void runPass().catch(() => undefined);
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.removeEventListener?.('offline', onOffline);
      await pass;
    },
    syncNow: () => runPass(),
    async status() {
      const u = await store.usage();
      return { running, online: online(), leader, pending: u.pending, failed: u.failed, lastSyncAt, lastError };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return api;
}

/**
 * Sends the due outbox entries, oldest first. A transient failure ends the pass (the platform is
 * unreachable, busy or refusing our token: back off); a permanent one marks that entry failed.
 */
async function sendDue(store: ScanStore, client: Pick<PlatformClient, 'updateScan'>, online: () => boolean, on: {
  retryAt(attempts: number): number;
  sent(at: number): void;
  failed(message: string): void;
}): Promise<void> {
  for (;;) {
    const due = await store.outbox.due(Date.now(), 10);
    if (!due.length) return;
    for (const entry of due) {
      if (!online()) return;
      const rec = await store.get(entry.id);
      if (!rec) {
        await store.outbox.markSynced(entry.id, Date.now()); // deleted locally: nothing to send
        continue;
      }
      try {
        await client.updateScan(rec.id, toScanEntity(rec.scan, { elapsedTime: rec.elapsedTime }));
        const at = Date.now();
        on.sent(at);
        await store.outbox.markSynced(rec.id, at);
      } catch (e) {
        const msg = isPlatformError(e) ? `${e.code}${e.status ? ` ${e.status}` : ''}: ${e.serverMessage ?? e.message}` : (e as Error).message;
        on.failed(msg);
        const status = isPlatformError(e) ? e.status : undefined;
        if (isTransient(e)) {
          await store.outbox.markRetry(rec.id, msg, on.retryAt(entry.attempts), status);
          return;
        } else {
          await store.outbox.markFailed(rec.id, msg, status);
        }
      }
    }
  }
}
