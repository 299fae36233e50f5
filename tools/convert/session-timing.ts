/**
 * Session creation time of two sets of the same models, interleaved in one process so both see the
 * same machine load: median of N creations per model, on onnxruntime-web (wasm, one thread: the
 * browser's runtime) and onnxruntime-node, with the SDK's session options (graph optimisation 'all').
 *
 *   npx tsx tools/convert/session-timing.ts DIR_A DIR_B [--runs 15]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ortWeb from 'onnxruntime-web';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '15' } } });
const [dirA, dirB] = positionals;
if (!dirA || !dirB) {
  console.error('usage: session-timing.ts DIR_A DIR_B [--runs N]');
  process.exit(2);
}
const runs = Number(values.runs);
const MODELS = ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_eye'];
ortWeb.env.wasm.numThreads = 1;
// onnxruntime-node is the repo's dev dependency (an optional peer of the package).
const ortNode = (await import('onnxruntime-node' as string)) as typeof ortWeb;
const runtimes = [['onnxruntime-web', ortWeb, ['wasm']], ['onnxruntime-node', ortNode, ['cpu']]] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Record<string, unknown>[] = [];
for (const [rt, ort, eps] of runtimes) {
  for (const m of MODELS) {
    const bytes = [dirA, dirB].map((d) => readFileSync(join(d, `${m}.onnx`)));
    const ms: [number[], number[]] = [[], []];
    for (let i = 0; i < runs + 1; i++) {
      for (const k of [0, 1] as const) {
        const t0 = performance.now();
        const s = await ort.InferenceSession.create(bytes[k], { executionProviders: [...eps], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
        const dt = performance.now() - t0;
        await s.release();
        if (i > 0) ms[k].push(dt); // the first creation of each warms the runtime
      }
    }
    const [a, b] = ms.map(median);
    rows.push({ runtime: rt, model: m, a_ms: +a.toFixed(2), b_ms: +b.toFixed(2), ratio: +(b / a).toFixed(3) });
  }
  const [sa, sb] = [0, 1].map((k) => rows.filter((r) => r.runtime === rt).reduce((s, r) => s + (r[k ? 'b_ms' : 'a_ms'] as number), 0));
  rows.push({ runtime: rt, model: 'all four', a_ms: +sa.toFixed(2), b_ms: +sb.toFixed(2), ratio: +(sb / sa).toFixed(3) });
}
console.table(rows);
console.log(JSON.stringify(rows));
