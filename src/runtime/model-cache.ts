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

/** How a model download is retried: attempts, the first backoff step, the silence that counts as stalled. */
export interface FetchPolicy {
  attempts: number;
  backoffMs: number;
  stallMs: number;
}
const DEFAULT_POLICY: FetchPolicy = { attempts: 4, backoffMs: 500, stallMs: 30_000 };

/**
 * Reads a response body, reporting the bytes received after each chunk; aborts the download
 * (`stalled`) when no chunk arrives for `stallMs`. A body shorter than its Content-Length is an
 * error (a connection cut mid-way), not a model.
 */
async function readWithProgress(res: Response, stall: AbortController, stallMs: number, report: (loaded: number) => void): Promise<Uint8Array> {
  let timer = setTimeout(() => stall.abort(), stallMs);
  try {
    if (!res.body) return new Uint8Array(await res.arrayBuffer());
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallMs);
      chunks.push(value);
      loaded += value.byteLength;
      report(loaded);
    }
    const expected = Number(res.headers.get('content-length'));
    // Content-Length counts the encoded bytes: compare only when the body came unencoded.
    if (expected > 0 && !res.headers.get('content-encoding') && loaded < expected) throw new Error(`the download ended after ${loaded} of ${expected} bytes`);
    const out = new Uint8Array(loaded);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.byteLength; }
    return out;
  } finally {
    clearTimeout(timer);
  }
}

/** One download attempt: HTTP errors, cuts and stalls throw; `retry` says whether another attempt may help. */
async function download(url: string, policy: FetchPolicy, report: (loaded: number) => void): Promise<Uint8Array> {
  const stall = new AbortController();
  const t = setTimeout(() => stall.abort(), policy.stallMs); // no response headers at all
  let res: Response;
  try {
    res = await fetch(url, { signal: stall.signal });
  } catch (e) {
    throw Object.assign(new Error(stall.signal.aborted ? `no answer for ${policy.stallMs / 1000} s` : (e as Error).message), { retry: true });
  } finally {
    clearTimeout(t);
  }
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { retry: res.status === 408 || res.status === 429 || res.status >= 500 });
  try {
    return await readWithProgress(res, stall, policy.stallMs, report);
  } catch (e) {
    throw Object.assign(new Error(stall.signal.aborted ? `the download stalled for ${policy.stallMs / 1000} s` : (e as Error).message), { retry: true });
  }
}

const online = () => (globalThis.navigator && 'onLine' in globalThis.navigator ? globalThis.navigator.onLine : true);

/**
 * Model bytes: the verified cached copy, else the network (then cached). A download that fails
 * mid-way (connection reset, 5xx, a cut body, a stall) is tried again with backoff, and bytes that
 * do not match the pinned sha256 are fetched once more; then the error names the file and the cause.
 * Where Cache Storage is unavailable (some private modes), every start fetches from the network.
 */
export async function loadModelBytes(url: string, info: ModelInfo, events: ModelFetchEvents = {}, policy: FetchPolicy = DEFAULT_POLICY): Promise<Uint8Array> {
  const cache = typeof caches !== 'undefined' ? await caches.open(MODEL_CACHE_NAME).catch(() => undefined) : undefined;
  const key = cache ? modelCacheKey(info) : '';
  let refetch = false;
  if (cache) {
    const hit = await cache.match(key).catch(() => undefined);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      if ((await sha256Hex(bytes)) === info.sha256) {
        markVerified(bytes, info.sha256);
        events.onSource?.(info.file, 'cache');
        events.onBytes?.(info.file, bytes.byteLength);
        return bytes;
      }
      await cache.delete(key).catch(() => undefined);
      refetch = true;
    }
  }
  let bytes: Uint8Array | undefined;
  let verified = false;
  let refetchedForHash = false;
  for (let attempt = 1; ; attempt++) {
    try {
      bytes = await download(url, policy, (loaded) => events.onBytes?.(info.file, loaded));
    } catch (e) {
      const retry = (e as { retry?: boolean }).retry === true && attempt < policy.attempts && online();
      if (!retry) {
        const why = !online() ? 'offline and not cached' : (e as Error).message;
        throw new Error(`${why} (${info.file}, ${attempt} attempt${attempt > 1 ? 's' : ''})`);
      }
      await new Promise((r) => setTimeout(r, policy.backoffMs * 2 ** (attempt - 1)));
      continue;
    }
    verified = (await sha256Hex(bytes)) === info.sha256;
    if (verified) break;
    // Bad bytes (a proxy's error page, a corrupted copy): once more, then Model.load says MODEL_INTEGRITY.
    if (refetchedForHash) break;
    refetchedForHash = true;
    refetch = true;
  }
  if (verified) {
    markVerified(bytes, info.sha256);
    // Only verified bytes are cached; a cache that refuses (quota, private mode) costs a download next time.
    await cache?.put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => undefined);
  }
  events.onSource?.(info.file, refetch ? 'refetch' : 'network');
  return bytes!;
}
