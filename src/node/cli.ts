#!/usr/bin/env node
/**
 * face-compare CLI.
 *   compare A B [--channel WEB] [--reference R] [--threshold T] [--min-quality Q] → the platform JSON
 *   analyze IMG [IMG…]                                             → {"image", "faces"} per line
 *   liveness IMG [IMG…] [--threshold T]                            → {"image", "score", "live", "threshold"} per line
 *   batch PAIRS.csv [--root DIR]                                   → one JSON line per pair
 *   eval PAIRS.csv [--root DIR]                                    → verification figures
 * Errors: {"code", "message"} on stderr and a non-zero exit. The commands are in cli/commands.ts.
 */
import { FaceError, isFaceError } from '../contract/errors.js';
import { parseCliArgs, USAGE } from './cli/args.js';
import { COMMANDS } from './cli/commands.js';
import { errorJson } from './cli/pairs-scoring.js';
import { createFaceRecognizer } from './index.js';
import { createEmbedPool } from './pool.js';

export async function main(argv: string[]): Promise<number> {
  const opts = parseCliArgs(argv);
  if (opts.help || !opts.command) {
    console.log(USAGE);
    return opts.help ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, opts.command) ? COMMANDS[opts.command] : undefined;
  if (!command) throw new FaceError('INVALID_OPTIONS', `unknown command ${opts.command}\n${USAGE}`);
  if (opts.args.length < command.args) throw new FaceError('INVALID_OPTIONS', `${opts.command} needs ${command.args} argument(s)\n${USAGE}`);
  // batch/eval with more than one worker embed in a pool of worker threads; everything else in this process.
  const pool = command.pooled && opts.workers > 1 ? await createEmbedPool(opts.workers, opts.runtime) : undefined;
  const fr = pool ? undefined : await createFaceRecognizer({ runtime: opts.runtime });
  // batch/eval are where the runtime shows: one line when they run on the wasm build, with the fix.
  if (command.pooled && (pool?.runtime ?? fr!.runtime) === 'onnxruntime-web') {
    process.stderr.write(`face-compare: ${opts.command} runs on onnxruntime-web (wasm), about 3x slower than native; for native speed: npm install onnxruntime-node\n`);
  }
  try {
    return await command.run({ opts, fr, embed: pool ? pool.embed : (p) => fr!.embed(p), ahead: pool ? 4 * pool.size : 0 });
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
