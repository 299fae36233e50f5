/**
 * Saving a scan to the platform: the one place the page talks to the REST API. It PUTs the scan
 * entity (toScanEntity) right away. The offline store will replace this module with one that
 * writes to IndexedDB and drains an outbox; it only has to implement ScanSaver. The page loads it
 * with import() on the first scan that has a platform URL to go to.
 */
import { createPlatformClient, isPlatformError, toScanEntity, type CompareResult, type TokenProvider } from '../src/index.js';

/** `queued`: kept on the device, to be sent later (what an offline store reports). */
export type SaveState = 'off' | 'saving' | 'queued' | 'saved' | 'offline' | 'failed';

export interface SaveStatus { state: SaveState; message: string }

export interface ScanSaver {
  /** Saves one scan; resolves with the final status and never rejects. */
  save(scan: CompareResult, elapsedMs: number, onStatus: (s: SaveStatus) => void): Promise<SaveStatus>;
}

export function createScanSaver(baseUrl: string, auth?: TokenProvider): ScanSaver {
  // Retries are short: a person is waiting at the screen.
  const api = createPlatformClient({ baseUrl, auth, timeoutMs: 10_000, retry: { retries: 2, baseDelayMs: 300, maxDelayMs: 2_000 } });
  return {
    async save(scan, elapsedMs, onStatus) {
      const done = (s: SaveStatus) => (onStatus(s), s);
      if (!navigator.onLine) return done({ state: 'offline', message: 'Offline — this scan was not sent to the platform' });
      onStatus({ state: 'saving', message: 'Saving to the platform…' });
      try {
        const saved = await api.updateScan(scan.id, toScanEntity(scan, { elapsedTime: elapsedMs / 1000 }));
        return done({ state: 'saved', message: `Saved to the platform (scan ${saved.id ?? scan.id})` });
      } catch (e) {
        const why = isPlatformError(e) ? `${e.code}${e.status ? ` ${e.status}` : ''}: ${e.serverMessage ?? e.message}` : String(e);
        return done({ state: navigator.onLine ? 'failed' : 'offline', message: `Not saved — ${why}` });
      }
    },
  };
}
