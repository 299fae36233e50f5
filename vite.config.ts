import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';

/**
 * Builds demo/sw.ts as demo/sw.js (stable name, so the page can register it) and writes the
 * list of every emitted file into it: the service worker precaches exactly what this build made.
 */
function appShellServiceWorker(): Plugin {
  return {
    name: 'face-sdk-app-shell-sw',
    enforce: 'post',
    apply: 'build',
    options(opts) {
      const input = (opts.input ?? {}) as Record<string, string>;
      if (typeof input === 'object' && !Array.isArray(input) && input.demo) opts.input = { ...input, sw: 'demo/sw.ts' };
    },
    outputOptions(out) {
      const entry = out.entryFileNames;
      out.entryFileNames = (chunk) => (chunk.name === 'sw' ? 'demo/sw.js' : typeof entry === 'function' ? entry(chunk) : (entry ?? 'assets/[name]-[hash].js'));
    },
    generateBundle(_opts, bundle) {
      const sw = Object.values(bundle).find((c) => c.type === 'chunk' && c.fileName === 'demo/sw.js');
      if (!sw || sw.type !== 'chunk') return;
      // Paths relative to demo/sw.js; the page itself is demo/index.html → './index.html'.
      const files = Object.keys(bundle).filter((f) => f !== 'demo/sw.js').map((f) => (f.startsWith('demo/') ? `./${f.slice(5)}` : `../${f}`));
      files.push('./');
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      sw.code = `const __APP_SHELL__ = ${JSON.stringify(files)};\nconst __APP_SHELL_VERSION__ = ${JSON.stringify(version)};\n${sw.code}`;
    },
  };
}

/**
 * Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, which onnxruntime-web
 * needs for multi-threaded wasm. Integrators send the same two headers (README, "Browser API").
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // The demo page lives in demo/ and imports 'face-compare-sdk': the built dist/ (npm run build),
  // through the package's own exports, as an app would — no bundler settings for the SDK.
  root: '.',
  server: { headers: isolationHeaders, port: 5173, host: '127.0.0.1', open: '/demo/' },
  preview: { headers: isolationHeaders, port: 4173, host: '127.0.0.1' },
  // Only for tools/bench's floor worker (research code bundled from source, with a dynamic import);
  // the SDK's prebuilt workers need no worker setting.
  worker: { format: 'es' },
  plugins: [appShellServiceWorker()],
  build: {
    outDir: 'dist/demo',
    target: 'es2022',
    rollupOptions: { input: { demo: 'demo/index.html' } },
    // Models and wasm are large binaries: always emit them as files, never inline.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests load the built package (dist/): rebuilt first when a source is newer.
    globalSetup: ['test/setup/build-package.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The pipeline tests are CPU-bound and share 2 cores; one file at a time keeps them predictable.
    fileParallelism: false,
  },
} as Parameters<typeof defineConfig>[0]);
