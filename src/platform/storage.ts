/** Where the PKCE helper keeps its pending login and tokens: the caller chooses. */

/**
 * The Web Storage subset the helper uses, so `sessionStorage` / `localStorage` fit as they are; an
 * async store (IndexedDB, a worker bridge, …) may return promises.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** In-memory storage (tests, Node, workers). Does not survive a page navigation. */
export function memoryStorage(): KeyValueStorage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

/** `sessionStorage` where there is one (a browser window), else memory. */
export function defaultStorage(): KeyValueStorage {
  try {
    const s = (globalThis as { sessionStorage?: KeyValueStorage }).sessionStorage;
    if (s) return s;
  } catch {
    // sessionStorage access can throw (sandboxed iframe, disabled storage)
  }
  return memoryStorage();
}

export async function readJson<T>(s: KeyValueStorage, key: string): Promise<T | null> {
  const v = await s.getItem(key);
  if (v === null) return null;
  try {
    return JSON.parse(v) as T;
  } catch {
    await s.removeItem(key);
    return null;
  }
}

export async function writeJson(s: KeyValueStorage, key: string, value: unknown): Promise<void> {
  await s.setItem(key, JSON.stringify(value));
}
