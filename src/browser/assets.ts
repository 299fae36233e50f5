import { LAZY_MODEL_NAMES, MODELS, STARTUP_MODEL_NAMES, type ModelName } from '../runtime/manifest.js';

/**
 * Where the browser recognizer's files live. By default: the package's own `dist/assets/`, named by
 * literal `new URL('…', import.meta.url)` expressions relative to the built `dist/browser/assets.js`
 * (this source file's path mirrors it), which Vite, webpack 5, Rollup plugins and Parcel turn into
 * emitted files with no configuration, and which also work unbundled. `assetBaseUrl` points every
 * file at one folder instead (the output of `npx face-compare-sdk assets <dir>`); `wasmPaths` only the
 * .wasm files. The standalone build (dist/assets/face-compare-sdk.js) rewrites `../assets/` to `./`.
 */
export interface AssetUrls {
  models: Record<ModelName, string>;
  /** The prebuilt workers: `wasm` carries onnxruntime's wasm-only build, `webgpu` its asyncify (WebGPU) build. */
  worker: { wasm: string; webgpu: string };
  /** The .wasm binary each worker's runtime loads; the WebGPU one (26.8 MB) is fetched only when that worker starts. */
  wasm: { wasm: string; webgpu: string };
}

const ASSET_FILES = {
  worker: { wasm: 'recognizer.worker.js', webgpu: 'recognizer-webgpu.worker.js' },
  wasm: { wasm: 'ort-wasm-simd-threaded.wasm', webgpu: 'ort-wasm-simd-threaded.asyncify.wasm' },
} as const;

const folder = (url: string) => new URL(url.endsWith('/') ? url : `${url}/`, globalThis.location?.href);

export function assetUrls(assetBaseUrl?: string, wasmPaths?: string): AssetUrls {
  const urls = assetBaseUrl ? fromFolder(folder(assetBaseUrl)) : packaged();
  if (wasmPaths) {
    const base = folder(wasmPaths);
    urls.wasm = { wasm: new URL(ASSET_FILES.wasm.wasm, base).href, webgpu: new URL(ASSET_FILES.wasm.webgpu, base).href };
  }
  return urls;
}

function fromFolder(base: URL): AssetUrls {
  const at = (file: string) => new URL(file, base).href;
  return {
    models: Object.fromEntries([...STARTUP_MODEL_NAMES, ...LAZY_MODEL_NAMES].map((n) => [n, at(MODELS[n].file)])) as Record<ModelName, string>,
    worker: { wasm: at(ASSET_FILES.worker.wasm), webgpu: at(ASSET_FILES.worker.webgpu) },
    wasm: { wasm: at(ASSET_FILES.wasm.wasm), webgpu: at(ASSET_FILES.wasm.webgpu) },
  };
}

/** One literal per file: bundlers only recognise `new URL('<string literal>', import.meta.url)`. */
function packaged(): AssetUrls {
  return {
    models: {
      fr_detect: new URL('../assets/fr_detect.onnx', import.meta.url).href,
      fr_landmark: new URL('../assets/fr_landmark.onnx', import.meta.url).href,
      fr_feature: new URL('../assets/fr_feature.onnx', import.meta.url).href,
      fr_eye: new URL('../assets/fr_eye.onnx', import.meta.url).href,
      // Fetched on first use of liveness only (worker-api.ts fetchLoader).
      fr_liveness: new URL('../assets/fr_liveness.onnx', import.meta.url).href,
    },
    worker: {
      wasm: new URL('../assets/recognizer.worker.js', import.meta.url).href,
      webgpu: new URL('../assets/recognizer-webgpu.worker.js', import.meta.url).href,
    },
    wasm: {
      wasm: new URL('../assets/ort-wasm-simd-threaded.wasm', import.meta.url).href,
      webgpu: new URL('../assets/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
    },
  };
}
