import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, which onnxruntime-web
 * needs for multi-threaded wasm. Integrators must send the same two headers (README, "Threads").
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // The demo page lives in demo/; the models and src/ are served from the repo root.
  root: '.',
  server: { headers: isolationHeaders, port: 5173, host: '127.0.0.1', open: '/demo/' },
  preview: { headers: isolationHeaders, port: 4173, host: '127.0.0.1' },
  // Pre-bundling moves onnxruntime-web into .vite/deps, breaking its `new URL(…wasm, import.meta.url)`.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: {
    outDir: 'dist/demo',
    target: 'es2022',
    rollupOptions: { input: { demo: 'demo/index.html' } },
    // Models and wasm are large binaries: always emit them as files, never inline.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The pipeline tests are CPU-bound and share 2 cores; one file at a time keeps them predictable.
    fileParallelism: false,
  },
} as Parameters<typeof defineConfig>[0]);
