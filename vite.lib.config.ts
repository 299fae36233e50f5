/**
 * The package build (npm run build → dist/), three Vite builds driven by scripts/build.ts:
 *  - library: every entry as ES modules, one file per source module (dist/ mirrors src/), npm
 *    dependencies left as imports. Built for the "server" consumer so that Vite leaves our
 *    `new URL('../assets/…', import.meta.url)` literals alone: they are for the app's bundler.
 *  - workers: each prebuilt worker is one self-contained file (pipeline + comlink + zod + one
 *    onnxruntime-web build with its wasm glue), so no bundler has to process it.
 *  - standalone: the browser entry with its dependencies in one file, for pages without a bundler.
 */
import type { InlineConfig, Plugin } from 'vite';

const shared: InlineConfig = { configFile: false, logLevel: 'warn', publicDir: false };

/** Entry name (its path in dist/, without .js) → source. `./internal` is not built: tools/ use src/. */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  'node/index': 'src/node/index.ts',
  'node/cli': 'src/node/cli.ts',
  // Started by path from node/pool.ts (cli batch/eval), so no import reaches it.
  'node/pool-worker': 'src/node/pool-worker.ts',
  'platform/index': 'src/platform/index.ts',
  'store/index': 'src/store/index.ts',
  'contract/index': 'src/contract/index.ts',
  'capture/index': 'src/capture/index.ts',
};

export const library = (outDir: string): InlineConfig => ({
  ...shared,
  build: {
    ssr: true,
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    rollupOptions: {
      input: LIBRARY_ENTRIES,
      output: { format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});

/**
 * onnxruntime-web keeps one `import(url)` (its unbundled glue, unused here); Vite's dev server warns
 * about any dynamic import it cannot analyse in a file it serves. Marked as intended, after minifying.
 */
const viteIgnoreDynamicImports: Plugin = {
  name: 'face-sdk-vite-ignore',
  generateBundle(_opts, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type === 'chunk') chunk.code = chunk.code.replace(/([^\w$.])import\((?!\/\*)/g, '$1import(/* @vite-ignore */ ');
    }
  },
};

/** A self-contained browser-side bundle: every dependency inlined, browser builds of each. */
function selfContained(outDir: string, input: Record<string, string>, plugins: Plugin[] = []): InlineConfig {
  return {
    ...shared,
    plugins: [...plugins, viteIgnoreDynamicImports],
    ssr: { target: 'webworker', noExternal: true, resolve: { conditions: ['browser', 'import', 'module', 'default'], externalConditions: [] } },
    resolve: { conditions: ['browser', 'import', 'module', 'default'] },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      rollupOptions: { input, output: { format: 'es', entryFileNames: '[name].js' } },
    },
  };
}

export const workers = (outDir: string, name: 'recognizer.worker' | 'recognizer-webgpu.worker') => selfContained(outDir, { [name]: `workers/${name}.ts` });

/** In dist/assets/ the files sit next to the bundle: `../assets/x` becomes `./x`. */
const flatAssets: Plugin = {
  name: 'face-sdk-flat-assets',
  enforce: 'pre',
  transform(code, id) {
    if (!id.endsWith('src/browser/assets.ts')) return null;
    return { code: code.replace(/new URL\((['"`])\.\.\/assets\//g, 'new URL($1./'), map: null };
  },
};

export const standalone = (outDir: string) => selfContained(outDir, { 'face-compare-sdk': 'src/index.ts' }, [flatAssets]);
