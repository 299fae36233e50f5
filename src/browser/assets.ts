import { MODELS, MODEL_NAMES, type ModelName } from '../manifest.js';

/**
 * Model URLs. By default they point at the package's own models/ folder through literal
 * `new URL(…, import.meta.url)` expressions, which Vite (and other bundlers) turn into emitted
 * assets. `assetBaseUrl` overrides this for self-hosting (CDN, kiosk server).
 */
export function modelUrls(assetBaseUrl?: string): Record<ModelName, string> {
  if (assetBaseUrl) {
    const base = new URL(assetBaseUrl.endsWith('/') ? assetBaseUrl : `${assetBaseUrl}/`, globalThis.location?.href);
    return Object.fromEntries(MODEL_NAMES.map((n) => [n, new URL(MODELS[n].file, base).href])) as Record<ModelName, string>;
  }
  return {
    fr_detect: new URL('../../models/fr_detect.onnx', import.meta.url).href,
    fr_landmark: new URL('../../models/fr_landmark.onnx', import.meta.url).href,
    fr_feature: new URL('../../models/fr_feature.onnx', import.meta.url).href,
    fr_eye: new URL('../../models/fr_eye.onnx', import.meta.url).href,
  };
}
