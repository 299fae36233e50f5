#!/usr/bin/env node
/**
 * face-compare CLI.
 *   compare A B [--channel WEB] [--reference R] [--threshold T] [--min-quality Q] → the platform JSON
 *   analyze IMG [IMG…]                                             → {"image", "faces"} per line
 *   batch PAIRS.csv [--root DIR]                                   → one JSON line per pair
 *   eval PAIRS.csv [--root DIR]                                    → verification figures
 * Errors: {"code", "message"} on stderr and a non-zero exit.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { calibratedSimilarity, PLATFORM_THRESHOLD } from './calibration.js';
import { cosine } from './embed.js';
import { FaceError, isFaceError, withImage } from './errors.js';
import { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from './metrics.js';
import { createFaceRecognizer, type NodeFaceRecognizer } from './node.js';
import { readPairsCsv as readPairs, type PairRow } from './pairs.js';

const USAGE = `usage: face-compare <command> …
  compare A B [--channel WEB|MOBILE|OTHER] [--reference R] [--threshold T] [--min-quality Q]
  analyze IMG [IMG…]
  batch PAIRS.csv [--root DIR] [--threshold T]
  eval PAIRS.csv [--root DIR] [--threshold T]`;

/** Default root for a pairs file: the shared data sets keep images in an `images/` folder beside it. */
function defaultRoot(csvPath: string): string {
  const dir = dirname(resolve(csvPath));
  return existsSync(join(dir, 'images')) ? join(dir, 'images') : dir;
}

/** Scores each pair, embedding every distinct image once. */
async function* scorePairs(fr: NodeFaceRecognizer, pairs: PairRow[], root: string, threshold: number) {
  const cache = new Map<string, Promise<Float32Array>>();
  const embedding = (p: string) => {
    if (!cache.has(p)) cache.set(p, fr.embed(join(root, p)));
    return cache.get(p)!;
  };
  for (const pair of pairs) {
    try {
      const ea = await embedding(pair.a).catch((e) => { throw withImage(e, 1); });
      const eb = await embedding(pair.b).catch((e) => { throw withImage(e, 2); });
      const cos = cosine(ea, eb);
      const sim = calibratedSimilarity(cos);
      yield { ...pair, cosine: cos, compare_similarity: sim, compare_result: sim >= threshold ? 'Same person' : 'Different person' };
    } catch (e) {
      yield { ...pair, error: errorJson(e) };
    }
  }
}

function errorJson(e: unknown): { code: string; message: string } {
  return isFaceError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
}

export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      channel: { type: 'string', default: 'WEB' },
      reference: { type: 'string', default: '' },
      threshold: { type: 'string' },
      'min-quality': { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, ...args] = positionals;
  if (values.help || !cmd) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new FaceError('INVALID_OPTIONS', `--threshold must be a number in [0, 1], got ${values.threshold}`);
  const need = (n: number) => {
    if (args.length < n) throw new FaceError('INVALID_OPTIONS', `${cmd} needs ${n} argument(s)\n${USAGE}`);
  };
  if (!['compare', 'analyze', 'batch', 'eval'].includes(cmd)) throw new FaceError('INVALID_OPTIONS', `unknown command ${cmd}\n${USAGE}`);
  need(cmd === 'compare' ? 2 : 1);

  const fr = await createFaceRecognizer();
  try {
    switch (cmd) {
      case 'compare': {
        const minQuality = values['min-quality'] === undefined ? undefined : Number(values['min-quality']);
        const r = await fr.compareFaces(args[0], args[1], { channel: values.channel as 'WEB', reference: values.reference, threshold, minQuality });
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return 0;
      }
      case 'analyze': {
        let failed = 0;
        for (const image of args) {
          try {
            process.stdout.write(JSON.stringify({ image, faces: await fr.analyze(image) }) + '\n');
          } catch (e) {
            failed++;
            process.stdout.write(JSON.stringify({ image, error: errorJson(e) }) + '\n');
          }
        }
        return failed ? 1 : 0;
      }
      case 'batch': {
        const root = values.root ?? defaultRoot(args[0]);
        for await (const row of scorePairs(fr, readPairs(args[0]), root, threshold ?? PLATFORM_THRESHOLD)) {
          const { same: _same, ...out } = row;
          process.stdout.write(JSON.stringify(out) + '\n');
        }
        return 0;
      }
      case 'eval': {
        const root = values.root ?? defaultRoot(args[0]);
        const pairs = readPairs(args[0]);
        if (pairs.some((p) => p.same === undefined)) throw new FaceError('INVALID_OPTIONS', `${args[0]} needs a 'same' column for eval`);
        const t = threshold ?? PLATFORM_THRESHOLD;
        const scored: ScoredPair[] = [];
        const errors: Record<string, number> = {};
        let done = 0;
        for await (const row of scorePairs(fr, pairs, root, t)) {
          // A pair that cannot be scored counts as a rejection (score 0): what a caller would get.
          const score = 'error' in row ? 0 : row.compare_similarity;
          if ('error' in row && row.error) errors[row.error.code] = (errors[row.error.code] ?? 0) + 1;
          scored.push({ score, same: !!row.same });
          if (++done % 100 === 0) process.stderr.write(`eval: ${done}/${pairs.length}\n`);
        }
        const at = ratesAt(scored, t);
        const best = bestThreshold(scored);
        const report = {
          pairs: scored.length,
          same: scored.filter((p) => p.same).length,
          errors,
          threshold: t,
          auc: rocAuc(scored),
          accuracy: at.accuracy,
          fmr: at.fmr,
          fnmr: at.fnmr,
          best_accuracy: best.accuracy,
          best_threshold: best.threshold,
          tar_at_far_1e2: tarAtFar(scored, 1e-2),
          tar_at_far_1e3: tarAtFar(scored, 1e-3),
        };
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return 0;
      }
    }
    return 2;
  } finally {
    await fr.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(JSON.stringify(errorJson(e)) + '\n');
    process.exit(isFaceError(e) && e.code === 'INVALID_OPTIONS' ? 2 : 1);
  },
);
