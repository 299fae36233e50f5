/**
 * Fits the cosine → compare_similarity mapping on LFW View 1 train pairs and writes
 * src/contract/calibration.json. Run: npm run calibrate (about 10 minutes on 2 cores).
 *
 * slope: logistic regression of same/different on cosine (Newton's method).
 * cosineAtThreshold: the cosine threshold with the best train accuracy (midpoint between scores),
 * which the mapping sends to the platform's 0.7.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosine } from 'face-compare-sdk/internal';
import { bestThreshold, ratesAt, rocAuc } from 'face-compare-sdk/internal';
import { createFaceRecognizer } from 'face-compare-sdk/internal';
import { readPairsCsv } from 'face-compare-sdk/internal';

const set = process.argv[2] ?? '../shared/data/lfw-view1/pairs_train.csv';
const root = join(set, '..', 'images');
const pairs = readPairsCsv(set);
const fr = await createFaceRecognizer();
const cache = new Map<string, Float32Array | null>();
const embedding = async (p: string) => {
  if (!cache.has(p)) cache.set(p, await fr.embed(join(root, p)).catch(() => null));
  return cache.get(p)!;
};
const scored: { score: number; same: boolean }[] = [];
let failed = 0;
for (const [i, p] of pairs.entries()) {
  const [a, b] = [await embedding(p.a), await embedding(p.b)];
  if (!a || !b) failed++;
  scored.push({ score: a && b ? cosine(a, b) : -1, same: !!p.same });
  if ((i + 1) % 200 === 0) console.error(`calibrate: ${i + 1}/${pairs.length}`);
}
await fr.dispose();

// Logistic regression p = σ(w·cos + c), by Newton's method on the log-likelihood.
let w = 0, c = 0;
for (let it = 0; it < 50; it++) {
  let g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
  for (const { score: x, same } of scored) {
    const p = 1 / (1 + Math.exp(-(w * x + c)));
    const y = same ? 1 : 0;
    g0 += (y - p) * x; g1 += y - p;
    const v = p * (1 - p);
    h00 += v * x * x; h01 += v * x; h11 += v;
  }
  const det = h00 * h11 - h01 * h01;
  w += (h11 * g0 - h01 * g1) / det;
  c += (-h01 * g0 + h00 * g1) / det;
}
const best = bestThreshold(scored);
const at = ratesAt(scored, best.threshold);
const out = {
  slope: Number(w.toFixed(4)),
  cosineAtThreshold: Number(best.threshold.toFixed(4)),
  fittedOn: set.replace(/^.*shared\//, '../shared/'),
  pairs: scored.length,
  unscorable: failed,
  train: { auc: rocAuc(scored), accuracy: at.accuracy, fmr: at.fmr, fnmr: at.fnmr },
};
writeFileSync(join(import.meta.dirname, '..', 'src', 'calibration.json'), JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out, null, 2));
