#!/usr/bin/env node
/**
 * face-compare CLI.
 *   compare A B [--channel WEB] [--reference R] [--threshold T] [--min-quality Q] → the platform JSON
 *   analyze IMG [IMG…]                                             → {"image", "faces"} per line
 *   liveness IMG [IMG…] [--threshold T]                            → {"image", "score", "live", "threshold"} per line
 *   batch PAIRS.csv [--root DIR]                                   → one JSON line per pair
 *   eval PAIRS.csv [--root DIR]                                    → verification figures
 * Errors: {"code", "message"} on stderr and a non-zero exit.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { calibratedSimilarity, PLATFORM_THRESHOLD } from '../contract/calibration.js';
import { cosine } from '../pipeline/similarity.js';
import { FaceError, isFaceError, toFaceError, withImage } from '../contract/errors.js';
import { RecognizerOptionsSchema } from '../contract/options.js';
import { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from './metrics.js';
import { createFaceRecognizer, type NodeFaceRecognizer } from './index.js';
import { readPairsCsv as readPairs, type PairRow } from './pairs.js';
import { createEmbedPool } from './pool.js';
import { progress } from './progress.js';
import type { NodeRuntimeChoice } from './runtime.js';

const USAGE = `usage: face-compare <command> …
  compare A B [--channel WEB|MOBILE|OTHER] [--reference R] [--threshold T] [--min-quality Q]
  analyze IMG [IMG…]
  liveness IMG [IMG…] [--threshold T]
  batch PAIRS.csv [--root DIR] [--threshold T] [--workers N]
  eval PAIRS.csv [--root DIR] [--threshold T] [--workers N]
  every command: [--runtime auto|onnxruntime-node|onnxruntime-web]
  batch and eval use a worker thread per core (--workers N; 1 = in this process) and show
  progress on stderr when it is a terminal`;

/** Default root for a pairs file: the shared data sets keep images in an `images/` folder beside it. */
function defaultRoot(csvPath: string): string {
  const dir = dirname(resolve(csvPath));
  return existsSync(join(dir, 'images')) ? join(dir, 'images') : dir;
}

type Embed = (path: string) => Promise<Float32Array>;

/**
 * Scores each pair in file order, embedding every distinct image once. With a pool, the images of
 * the next `ahead` pairs are already queued while this one is awaited.
 */
async function* scorePairs(embed: Embed, pairs: PairRow[], root: string, threshold: number, ahead = 0) {
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
      yield { ...pair, cosine: cos, compare_similarity: sim, compare_result: sim >= threshold ? 'Same person' : 'Different person' };
    } catch (e) {
      yield { ...pair, error: errorJson(e) };
    }
  }
}

function errorJson(e: unknown): { code: string; message: string } {
  const { code, message } = toFaceError(e);
  return { code, message };
}

export async function main(argv: string[]): Promise<number> {
  // An unknown or malformed flag is a bad argument (INVALID_OPTIONS, exit 2), not an INTERNAL error.
  const parsed = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          channel: { type: 'string', default: 'WEB' },
          reference: { type: 'string', default: '' },
          threshold: { type: 'string' },
          'min-quality': { type: 'string' },
          root: { type: 'string' },
          workers: { type: 'string' },
          runtime: { type: 'string', default: 'auto' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      throw new FaceError('INVALID_OPTIONS', `${(e as Error).message}\n${USAGE}`);
    }
  })();
  const { positionals, values } = parsed;
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
  if (!['compare', 'analyze', 'liveness', 'batch', 'eval'].includes(cmd)) throw new FaceError('INVALID_OPTIONS', `unknown command ${cmd}\n${USAGE}`);
  need(cmd === 'compare' ? 2 : 1);
  const runtime = values.runtime as NodeRuntimeChoice;
  const runtimes: readonly string[] = RecognizerOptionsSchema.shape.runtime.unwrap().options;
  if (!runtimes.includes(runtime)) throw new FaceError('INVALID_OPTIONS', `--runtime must be ${runtimes.slice(0, -1).join(', ')} or ${runtimes.at(-1)}, got ${runtime}`);
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new FaceError('INVALID_OPTIONS', `--workers must be an integer in [1, 64], got ${values.workers}`);

  // batch/eval with more than one worker embed in a pool of worker threads; everything else in this process.
  const pooled = (cmd === 'batch' || cmd === 'eval') && workers > 1;
  const pool = pooled ? await createEmbedPool(workers, runtime) : undefined;
  const fr: NodeFaceRecognizer | undefined = pooled ? undefined : await createFaceRecognizer({ runtime });
  const embed: Embed = pool ? pool.embed : (p) => fr!.embed(p);
  // batch/eval are where the runtime shows: one line when they run on the wasm build, with the fix.
  if ((cmd === 'batch' || cmd === 'eval') && (pool?.runtime ?? fr!.runtime) === 'onnxruntime-web') {
    process.stderr.write(`face-compare: ${cmd} runs on onnxruntime-web (wasm), about 3x slower than native; for native speed: npm install onnxruntime-node\n`);
  }
  const ahead = pool ? 4 * pool.size : 0;
  try {
    switch (cmd) {
      case 'compare': {
        const minQuality = values['min-quality'] === undefined ? undefined : Number(values['min-quality']);
        const r = await fr!.compareFaces(args[0], args[1], { channel: values.channel as 'WEB', reference: values.reference, threshold, minQuality });
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return 0;
      }
      case 'analyze': {
        let failed = 0;
        for (const image of args) {
          try {
            process.stdout.write(JSON.stringify({ image, faces: await fr!.analyze(image) }) + '\n');
          } catch (e) {
            failed++;
            process.stdout.write(JSON.stringify({ image, error: errorJson(e) }) + '\n');
          }
        }
        return failed ? 1 : 0;
      }
      case 'liveness': {
        // One line per image, like analyze; --threshold is the live-score threshold here (docs/liveness.md).
        let failed = 0;
        for (const image of args) {
          try {
            const { score, live, threshold: t } = await fr!.liveness(image, { threshold });
            process.stdout.write(JSON.stringify({ image, score, live, threshold: t }) + '\n');
          } catch (e) {
            failed++;
            process.stdout.write(JSON.stringify({ image, error: errorJson(e) }) + '\n');
          }
        }
        return failed ? 1 : 0;
      }
      case 'batch': {
        const root = values.root ?? defaultRoot(args[0]);
        const pairs = readPairs(args[0]);
        const shown = progress('batch', pairs.length);
        let done = 0;
        for await (const row of scorePairs(embed, pairs, root, threshold ?? PLATFORM_THRESHOLD, ahead)) {
          const { same: _same, ...out } = row;
          process.stdout.write(JSON.stringify(out) + '\n');
          shown.tick(++done);
        }
        shown.end();
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
        const shown = progress('eval', pairs.length);
        for await (const row of scorePairs(embed, pairs, root, t, ahead)) {
          // A pair that cannot be scored counts as a rejection (score 0): what a caller would get.
          const score = 'error' in row ? 0 : row.compare_similarity;
          if ('error' in row && row.error) errors[row.error.code] = (errors[row.error.code] ?? 0) + 1;
          scored.push({ score, same: !!row.same });
          shown.tick(++done);
          if (!process.stderr.isTTY && done % 100 === 0) process.stderr.write(`eval: ${done}/${pairs.length}\n`);
        }
        shown.end();
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
    await fr?.dispose();
    await pool?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(JSON.stringify(errorJson(e)) + '\n');
    process.exit(isFaceError(e) && e.code === 'INVALID_OPTIONS' ? 2 : 1);
  },
);
