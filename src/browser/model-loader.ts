/** The worker's model bytes: fetched through the sha256-keyed cache, with start-up progress for the page. */
import type { LoadProgress } from '../contract/options.js';
import type { ModelName, ModelSource } from '../contract/types.js';
import { MODELS, STARTUP_MODEL_NAMES } from '../runtime/manifest.js';
import { loadModelBytes } from '../runtime/model-cache.js';
import type { ModelLoader } from '../runtime/session.js';
import { Comlink } from './rpc.js';

/**
 * Starts every start-up model's fetch at once (through the sha256-keyed cache); sessions take them
 * in turn. Lazy models (liveness) are fetched only when the engine first asks for them.
 */
export function fetchLoader(modelUrls: Partial<Record<ModelName, string>>, sources: Record<string, ModelSource> = {}, onBytes?: (file: string, loaded: number) => void): ModelLoader {
  const pending = new Map<ModelName, Promise<Uint8Array>>();
  const fetchOne = (name: ModelName) => {
    const url = modelUrls[name];
    const p = url ? loadModelBytes(url, MODELS[name], { onSource: (file, src) => { sources[file] = src; }, onBytes }) : Promise.reject(new Error(`no URL for model ${name}`));
    // Surfaced when the engine asks for it, as MODEL_LOAD; a lazy model is fetched again on the next use.
    p.catch(() => { if (!(STARTUP_MODEL_NAMES as readonly string[]).includes(name)) pending.delete(name); });
    pending.set(name, p);
    return p;
  };
  for (const name of STARTUP_MODEL_NAMES) fetchOne(name);
  return (_info, name) => pending.get(name) ?? fetchOne(name);
}

/**
 * Turns byte counts and engine stages into LoadProgress events for the page: download = bytes of
 * the start-up models over their total; compile = sessions started over the sessions to create.
 */
export function startupProgress(onProgress?: (e: LoadProgress) => void) {
  const files = new Map(STARTUP_MODEL_NAMES.map((n) => [MODELS[n].file, 0]));
  const total = STARTUP_MODEL_NAMES.reduce((t, n) => t + MODELS[n].bytes, 0);
  let compiled = 0;
  const send = (e: LoadProgress) => {
    // Fire and forget: comlink answers each call, a failing page callback must not fail the start-up.
    Promise.resolve(onProgress?.(e)).catch(() => undefined);
  };
  return {
    bytes(file: string, loaded: number) {
      if (!files.has(file)) return; // a lazy model, not part of the start-up
      files.set(file, loaded);
      send({ phase: 'download', file, loaded: [...files.values()].reduce((a, b) => a + b, 0), total });
    },
    stage(stage: 'compile' | 'warmup', file?: string) {
      if (stage === 'warmup') send({ phase: 'warmup', loaded: 0, total: 1 });
      else send({ phase: 'compile', ...(file ? { file } : {}), loaded: compiled++ % STARTUP_MODEL_NAMES.length, total: STARTUP_MODEL_NAMES.length });
    },
    release() {
      const p = onProgress as (Partial<Record<typeof Comlink.releaseProxy, () => void>>) | undefined;
      p?.[Comlink.releaseProxy]?.();
    },
  };
}
