/**
 * Models through Cache Storage, keyed by their sha256: after one online load a kiosk starts with the
 * network off, a new model version never collides with an old one, and a cached copy whose bytes no
 * longer match its hash (disk corruption, tampering) is dropped and fetched again, never used.
 */
import type { ModelInfo } from './manifest.js';
import { markVerified, sha256Hex } from './session.js';

export const MODEL_CACHE_NAME = 'face-sdk-models-v1';

/** The cache key of a model: a URL on this origin that is never fetched, named by the hash. */
function modelCacheKey(info: Pick<ModelInfo, 'sha256'>): string {
  return new URL(`/__face-sdk-model-cache__/${info.sha256}`, self.location.origin).href;
}

export interface ModelFetchEvents {
  /** Where the bytes came from: 'cache', 'network', or 'refetch' after a bad cached copy. */
  onSource?: (file: string, source: 'cache' | 'network' | 'refetch') => void;
  /** Bytes of this file received so far (a cached copy counts as received at once). */
  onBytes?: (file: string, loaded: number) => void;
}

/** Reads a response body, reporting the bytes received after each chunk; the platform joins the chunks. */
async function readWithProgress(res: Response, report: (loaded: number) => void): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  let loaded = 0;
  const counted = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, out) {
      loaded += chunk.byteLength;
      report(loaded);
      out.enqueue(chunk);
    },
  }));
  return new Uint8Array(await new Response(counted).arrayBuffer());
}

/** Model bytes: the verified cached copy, else the network (then cached). */
export async function loadModelBytes(url: string, info: ModelInfo, events: ModelFetchEvents = {}): Promise<Uint8Array> {
  const cache = typeof caches !== 'undefined' ? await caches.open(MODEL_CACHE_NAME).catch(() => undefined) : undefined;
  const key = modelCacheKey(info);
  let refetch = false;
  if (cache) {
    const hit = await cache.match(key);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      if ((await sha256Hex(bytes)) === info.sha256) {
        markVerified(bytes, info.sha256);
        events.onSource?.(info.file, 'cache');
        events.onBytes?.(info.file, bytes.byteLength);
        return bytes;
      }
      await cache.delete(key);
      refetch = true;
    }
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const bytes = await readWithProgress(res, (loaded) => events.onBytes?.(info.file, loaded));
  // Only verified bytes are cached; bad ones fail later with MODEL_INTEGRITY.
  if (cache && (await sha256Hex(bytes)) === info.sha256) {
    markVerified(bytes, info.sha256);
    await cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => undefined);
  }
  events.onSource?.(info.file, refetch ? 'refetch' : 'network');
  return bytes;
}
