/** `batch` and `eval`: each pair of a CSV scored from embeddings, every distinct image embedded once. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { calibratedSimilarity, compareVerdict } from '../../contract/calibration.js';
import { toFaceError, withImage } from '../../contract/errors.js';
import { cosine } from '../../pipeline/similarity.js';
import type { PairRow } from '../pairs.js';

export type Embed = (path: string) => Promise<Float32Array>;

/** Default root for a pairs file: the shared data sets keep images in an `images/` folder beside it. */
export function defaultRoot(csvPath: string): string {
  const dir = dirname(resolve(csvPath));
  return existsSync(join(dir, 'images')) ? join(dir, 'images') : dir;
}

export function errorJson(e: unknown): { code: string; message: string } {
  const { code, message } = toFaceError(e);
  return { code, message };
}

/**
 * Scores each pair in file order, embedding every distinct image once. With a pool, the images of
 * the next `ahead` pairs are already queued while this one is awaited.
 */
export async function* scorePairs(embed: Embed, pairs: PairRow[], root: string, threshold: number, ahead = 0) {
  const cache = new Map<string, Promise<Float32Array>>();
  const embedding = (p: string) => {
    if (!cache.has(p)) {
      const e = embed(join(root, p));
      e.catch(() => undefined); // awaited (and reported) with its pair; never an unhandled rejection
      cache.set(p, e);
    }
    return cache.get(p)!;
  };
  for (const [i, pair] of pairs.entries()) {
    for (const next of pairs.slice(i + 1, i + 1 + ahead)) {
      embedding(next.a);
      embedding(next.b);
    }
    try {
      const ea = await embedding(pair.a).catch((e) => { throw withImage(e, 1); });
      const eb = await embedding(pair.b).catch((e) => { throw withImage(e, 2); });
      const cos = cosine(ea, eb);
      const sim = calibratedSimilarity(cos);
      yield { ...pair, cosine: cos, compare_similarity: sim, compare_result: compareVerdict(sim, threshold) };
    } catch (e) {
      yield { ...pair, error: errorJson(e) };
    }
  }
}
