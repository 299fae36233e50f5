/** The CLI's arguments: parsed once, every value checked, a bad one INVALID_OPTIONS (exit 2). */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { FaceError } from '../../contract/errors.js';
import { CHANNELS, RecognizerOptionsSchema } from '../../contract/options.js';
import type { NodeRuntimeChoice } from '../runtime.js';

export const USAGE = `usage: face-compare <command> …
  compare A B [--channel WEB|MOBILE|OTHER] [--reference R] [--threshold T] [--min-quality Q]
  analyze IMG [IMG…]
  liveness IMG [IMG…] [--threshold T]
  batch PAIRS.csv [--root DIR] [--threshold T] [--workers N]
  eval PAIRS.csv [--root DIR] [--threshold T] [--workers N]
  every command: [--runtime auto|onnxruntime-node|onnxruntime-web]
  batch and eval use a worker thread per core (--workers N; 1 = in this process) and show
  progress on stderr when it is a terminal`;

export interface CliArgs {
  command?: string;
  args: string[];
  help: boolean;
  channel: (typeof CHANNELS)[number];
  reference: string;
  /** Similarity threshold (compare, batch, eval) or live-score threshold (liveness). */
  threshold?: number;
  minQuality?: number;
  root?: string;
  workers: number;
  runtime: NodeRuntimeChoice;
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
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
  const { positionals: [command, ...args], values } = parsed;
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new FaceError('INVALID_OPTIONS', `--threshold must be a number in [0, 1], got ${values.threshold}`);
  const runtime = values.runtime as NodeRuntimeChoice;
  const runtimes: readonly string[] = RecognizerOptionsSchema.shape.runtime.unwrap().options;
  if (!runtimes.includes(runtime)) throw new FaceError('INVALID_OPTIONS', `--runtime must be ${runtimes.slice(0, -1).join(', ')} or ${runtimes.at(-1)}, got ${runtime}`);
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new FaceError('INVALID_OPTIONS', `--workers must be an integer in [1, 64], got ${values.workers}`);
  return {
    command, args, help: values.help === true,
    // The channel is checked by the compare options' schema, with its message.
    channel: values.channel as CliArgs['channel'],
    reference: values.reference ?? '',
    threshold,
    minQuality: values['min-quality'] === undefined ? undefined : Number(values['min-quality']),
    root: values.root,
    workers,
    runtime,
  };
}
