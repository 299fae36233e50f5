/**
 * The files we take from @vladmandic/face-api (MIT): the dlib ResNet's TFJS weights (dlib's
 * public-domain face recognition model) and face-api's own bundle, which the conversion test runs
 * as the reference. Fetched like scripts/fetch-models.mjs does our models: `npm pack` through the
 * npm registry into a temp dir, only the pinned files kept (in the git-ignored models/.cache/),
 * each checked against its sha256.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWeights, type Weight, type WeightGroup } from './tfjs-weights.js';

export const FACE_API_PACKAGE = '@vladmandic/face-api';
export const FACE_API_VERSION = '1.7.15';

/** Path in the package → sha256. */
const FILES: Record<string, string> = {
  'model/face_recognition_model-weights_manifest.json': 'cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b',
  'model/face_recognition_model.bin': 'b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589',
  'dist/face-api.esm.js': '14f0e9813f6d9f14a9cdafb6543a74835ebb13085090e2942310a7a737f55d9a',
};

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FACE_API_DIR = join(REPO_ROOT, 'models', '.cache', `face-api-${FACE_API_VERSION}`);

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const good = (rel: string) => existsSync(join(FACE_API_DIR, rel)) && sha256(readFileSync(join(FACE_API_DIR, rel))) === FILES[rel];

/** Makes sure the pinned files are in FACE_API_DIR (one `npm pack` if any is missing) and returns it. */
export function ensureFaceApi(log: (s: string) => void = console.error): string {
  const missing = Object.keys(FILES).filter((rel) => !good(rel));
  if (missing.length === 0) return FACE_API_DIR;
  const work = mkdtempSync(join(tmpdir(), 'face-api-'));
  try {
    log(`face-api: npm pack ${FACE_API_PACKAGE}@${FACE_API_VERSION} for ${missing.join(', ')}`);
    const tgz = execFileSync('npm', ['pack', `${FACE_API_PACKAGE}@${FACE_API_VERSION}`, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, ...missing.map((rel) => `package/${rel}`)], { stdio: 'inherit' });
    for (const rel of missing) {
      const from = join(work, 'package', rel);
      const got = sha256(readFileSync(from));
      if (got !== FILES[rel]) throw new Error(`face-api: ${rel} has sha256 ${got}, expected ${FILES[rel]}`);
      const to = join(FACE_API_DIR, rel);
      mkdirSync(dirname(to), { recursive: true });
      // Copy then rename: an interrupted run never leaves a truncated file with the final name.
      copyFileSync(from, `${to}.part`);
      renameSync(`${to}.part`, to);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return FACE_API_DIR;
}

/** The recognition net's weights, decoded from the manifest and shards in `dir`. */
export function loadRecognitionWeights(dir = ensureFaceApi()): Map<string, Weight> {
  const modelDir = join(dir, 'model');
  const manifest = JSON.parse(readFileSync(join(modelDir, 'face_recognition_model-weights_manifest.json'), 'utf8')) as WeightGroup[];
  return decodeWeights(manifest, (p) => readFileSync(join(modelDir, p)));
}
