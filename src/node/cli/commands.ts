/** The CLI's commands, one entry each: how many arguments it needs, whether it embeds in a pool, what it prints. */
import { PLATFORM_THRESHOLD } from '../../contract/calibration.js';
import { FaceError } from '../../contract/errors.js';
import type { NodeFaceRecognizer } from '../index.js';
import { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from '../metrics.js';
import { readPairsCsv } from '../pairs.js';
import { progress } from '../progress.js';
import type { CliArgs } from './args.js';
import { defaultRoot, errorJson, scorePairs, type Embed } from './pairs-scoring.js';

export interface CommandContext {
  opts: CliArgs;
  /** The in-process recognizer (absent when a pool embeds). */
  fr?: NodeFaceRecognizer;
  embed: Embed;
  /** Pairs whose images are queued ahead in the pool. */
  ahead: number;
}

export interface Command {
  /** Positional arguments it needs at least. */
  args: number;
  /** Embeds in a pool of worker threads when --workers > 1. */
  pooled?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

const out = (value: unknown, indent?: number) => process.stdout.write(JSON.stringify(value, null, indent) + '\n');

/** One JSON line per image, `{ image, error }` for one that fails; exit 1 if any did. */
async function perImage(images: string[], line: (image: string) => Promise<object>): Promise<number> {
  let failed = 0;
  for (const image of images) {
    try {
      out({ image, ...(await line(image)) });
    } catch (e) {
      failed++;
      out({ image, error: errorJson(e) });
    }
  }
  return failed ? 1 : 0;
}

export const COMMANDS: Record<string, Command> = {
  compare: {
    args: 2,
    async run({ opts, fr }) {
      const { channel, reference, threshold, minQuality } = opts;
      out(await fr!.compareFaces(opts.args[0], opts.args[1], { channel, reference, threshold, minQuality }), 2);
      return 0;
    },
  },
  analyze: {
    args: 1,
    run: ({ opts, fr }) => perImage(opts.args, async (image) => ({ faces: await fr!.analyze(image) })),
  },
  liveness: {
    args: 1,
    // --threshold is the live-score threshold here (docs/liveness.md).
    run: ({ opts, fr }) => perImage(opts.args, async (image) => {
      const { score, live, threshold } = await fr!.liveness(image, { livenessThreshold: opts.threshold });
      return { score, live, threshold };
    }),
  },
  batch: {
    args: 1,
    pooled: true,
    async run({ opts, embed, ahead }) {
      const pairs = readPairsCsv(opts.args[0]);
      const shown = progress('batch', pairs.length);
      let done = 0;
      for await (const row of scorePairs(embed, pairs, opts.root ?? defaultRoot(opts.args[0]), opts.threshold ?? PLATFORM_THRESHOLD, ahead)) {
        const { same: _same, ...line } = row;
        out(line);
        shown.tick(++done);
      }
      shown.end();
      return 0;
    },
  },
  eval: {
    args: 1,
    pooled: true,
    async run({ opts, embed, ahead }) {
      const pairs = readPairsCsv(opts.args[0]);
      if (pairs.some((p) => p.same === undefined)) throw new FaceError('INVALID_OPTIONS', `${opts.args[0]} needs a 'same' column for eval`);
      const t = opts.threshold ?? PLATFORM_THRESHOLD;
      const scored: ScoredPair[] = [];
      const errors: Record<string, number> = {};
      let done = 0;
      const shown = progress('eval', pairs.length);
      for await (const row of scorePairs(embed, pairs, opts.root ?? defaultRoot(opts.args[0]), t, ahead)) {
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
      out({
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
      }, 2);
      return 0;
    },
  },
};
