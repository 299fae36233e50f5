/// <reference lib="webworker" />
/**
 * Service worker for the demo/kiosk app shell: after one online visit, the page, its scripts, the
 * recognizer worker and onnxruntime's wasm come from Cache Storage, so a reload with the network off
 * still works. Models are not handled here: the recognizer worker caches them itself, keyed by
 * sha256 and verified on every load (src/runtime/model-cache.ts).
 */
declare const self: ServiceWorkerGlobalScope;
/** Filled in at build time (vite.config.ts): every emitted file of the app, relative to this file. */
declare const __APP_SHELL__: string[];
declare const __APP_SHELL_VERSION__: string;

const CACHE = `face-sdk-app-shell-${__APP_SHELL_VERSION__}`;
const base = new URL('./', self.location.href);
// Only what the page needs to boot; the 27 MB WebGPU runtime is cached when first used.
const PRECACHE = __APP_SHELL__.filter((f) => !f.endsWith('.onnx') && !f.includes('asyncify')).map((f) => new URL(f, base).href);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('face-sdk-app-shell-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.endsWith('.onnx')) return;
  if (req.mode === 'navigate') {
    // Pages: the network when there is one (fresh deploys), the cached shell when not.
    event.respondWith(fetch(req).then(async (res) => {
      if (res.ok) await (await caches.open(CACHE)).put(req, res.clone());
      return res;
    }).catch(async () => (await caches.match(req, { ignoreSearch: true, ignoreVary: true })) ?? (await caches.match(new URL('index.html', base).href, { ignoreVary: true })) ?? Response.error()));
    return;
  }
  // Hashed assets never change: cache first, and keep anything fetched later (e.g. the WebGPU runtime).
  // ignoreVary: servers (vite preview among them) answer `Vary: Origin`, and the page's module scripts
  // are requested with an Origin header that the precache requests did not have.
  event.respondWith((async () => {
    const hit = await caches.match(req, { ignoreVary: true });
    if (hit) return hit;
    const res = await fetch(req);
    if (res.ok && res.type === 'basic') await (await caches.open(CACHE)).put(req, res.clone());
    return res;
  })());
});
export {};
