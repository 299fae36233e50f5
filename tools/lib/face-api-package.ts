/**
 * The files we take from @vladmandic/face-api (MIT): the dlib ResNet's TFJS weights (dlib's
 * public-domain face recognition model) and face-api's own bundle, which the conversion test runs
 * as the reference. Fetched like models/fetch.mjs does our models: `npm pack` through the
 * npm registry into a temp dir, only the pinned files kept (in the git-ignored models/.cache/),
 * each checked against its sha256 (tools/lib/npm-pinned.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensurePinned, type PinnedPackage } from './npm-pinned.js';
import { decodeWeights, type Weight, type WeightGroup } from './tfjs-weights.js';

export { REPO_ROOT, sha256 } from './npm-pinned.js';

export const FACE_API: PinnedPackage = {
  name: '@vladmandic/face-api',
  version: '1.7.15',
  files: {
    'model/face_recognition_model-weights_manifest.json': 'cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b',
    'model/face_recognition_model.bin': 'b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589',
    'dist/face-api.esm.js': '14f0e9813f6d9f14a9cdafb6543a74835ebb13085090e2942310a7a737f55d9a',
  },
};

export const FACE_API_DIR = cacheDir(FACE_API);

/** Makes sure the pinned face-api files are in FACE_API_DIR and returns it. */
export const ensureFaceApi = (log?: (s: string) => void): string => ensurePinned(FACE_API, log);

/** The recognition net's weights, decoded from the manifest and shards in `dir`. */
export function loadRecognitionWeights(dir = ensureFaceApi()): Map<string, Weight> {
  const modelDir = join(dir, 'model');
  const manifest = JSON.parse(readFileSync(join(modelDir, 'face_recognition_model-weights_manifest.json'), 'utf8')) as WeightGroup[];
  return decodeWeights(manifest, (p) => readFileSync(join(modelDir, p)));
}
