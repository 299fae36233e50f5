/**
 * npx tsx tools/liveness/eval-sets.ts SCORES.json [--json] [--folds 5]
 * From score-sets.ts's output: per set (NUAA, MSU-MFSD, OULU-NPU) and per attack medium, BPCER, APCER
 * and AUC (live vs print / replay) for every rule: each crop variant (and its mean with the
 * left-right mirrored crop) at the shipped threshold and at one threshold chosen across the sets,
 * and the model's score fused with the cheap cues by a logistic model; each rule also
 * cross-validated subject-wise (fitted and thresholded on k-1 folds of subjects, counted on the
 * held-out fold). Prints the tables of docs/liveness.md and the fitted fusion; the last block,
 * "shipped", is the SDK's own rule (fuseLiveness with LIVENESS_FUSION at LIVENESS_THRESHOLD).
 * --write-fusion FILE writes the fusion fitted for the shipped rule ('fuse(shift27; all cues)', all
 * frames) and its shared threshold as JSON: what src/pipeline/liveness.ts ships as LIVENESS_FUSION.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fuseLiveness, LIVENESS_CUES, LIVENESS_THRESHOLD, liveLogit } from 'face-compare-sdk/internal';
import { chooseSharedThreshold, reportBySet, subjectFolds, type SetFrame, type SetReport } from './sets-metrics.js';
import { applyFusion, fitLogistic, type FusionModel } from './fuse.js';
import type { ScoredRow } from './score-sets.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, folds: { type: 'string', default: '5' }, 'write-fusion': { type: 'string' } } });
const rows = (JSON.parse(readFileSync(positionals[0], 'utf8')) as ScoredRow[]);
const scored = rows.filter((r) => r.box);
const K = Number(values.folds);

const logit = liveLogit;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Mean of the variants' probabilities. */
const combo = (r: ScoredRow, vs: string[]) => vs.reduce((a, v) => a + r.scores[v], 0) / vs.length;

/** A rule: fitted on training rows, it scores any row; the threshold is chosen on the training rows' scores. */
interface Rule { name: string; fit: (train: ScoredRow[]) => { score: (r: ScoredRow) => number; model?: FusionModel }; fixed?: number }

/** The threshold that shipped on fr_liveness's own score before the fusion (chosen on NUAA only): model-only rules are reported at it. */
export const MODEL_ONLY_THRESHOLD = 0.31;

const scoreRule = (vs: string[]): Rule => ({ name: vs.join('+'), fit: () => ({ score: (r) => combo(r, vs) }), fixed: MODEL_ONLY_THRESHOLD });
const cueIdx = (names: readonly string[]) => names.map((n) => LIVENESS_CUES.indexOf(n as (typeof LIVENESS_CUES)[number]));
const fuseRule = (vs: string[], cues: readonly string[], lambda = 1e-2): Rule => ({
  name: `fuse(${vs.join('+')}; ${cues.length === LIVENESS_CUES.length ? 'all cues' : cues.join(',')})`,
  fit: (train) => {
    const idx = cueIdx(cues);
    const x = (r: ScoredRow) => [logit(combo(r, vs)), ...idx.map((i) => r.cues[i])];
    const model = fitLogistic(train.map((r) => ({ x: x(r), live: r.cls === 'live', set: r.set })), ['model_logit', ...cues], lambda);
    return { score: (r) => applyFusion(model, x(r)), model };
  },
});

const frame = (r: ScoredRow, score: number): SetFrame => ({ set: r.set, cls: r.cls, medium: r.medium, subject: r.subject, score });

interface RuleResult {
  rule: string;
  /** At the fixed threshold: MODEL_ONLY_THRESHOLD for the model's own scores, LIVENESS_THRESHOLD for fused ones. */
  fixed: { threshold: number; by_set: Record<string, SetReport> };
  shared: { threshold: number; range: [number, number]; by_set: Record<string, SetReport> };
  cv: Record<string, SetReport>;
  model?: FusionModel;
}

function evaluate(rule: Rule): RuleResult {
  const all = rule.fit(scored);
  const frames = scored.map((r) => frame(r, all.score(r)));
  const chosen = chooseSharedThreshold(frames);
  // Cross-validation: held-out frames as margins logit(score) - logit(threshold of the training folds), decided at 0.5.
  const folds = subjectFolds(scored, K);
  const held: SetFrame[] = [];
  for (let k = 0; k < K; k++) {
    const train = scored.filter((r) => folds.get(r.subject) !== k), test = scored.filter((r) => folds.get(r.subject) === k);
    const f = rule.fit(train);
    const t = chooseSharedThreshold(train.map((r) => frame(r, f.score(r)))).threshold;
    for (const r of test) held.push(frame(r, sigmoid(logit(f.score(r)) - logit(t))));
  }
  return {
    rule: rule.name,
    fixed: { threshold: rule.fixed ?? LIVENESS_THRESHOLD, by_set: reportBySet(frames, rule.fixed ?? LIVENESS_THRESHOLD) },
    shared: { threshold: chosen.threshold, range: chosen.range, by_set: reportBySet(frames, chosen.threshold) },
    cv: reportBySet(held, 0.5),
    ...(all.model ? { model: all.model } : {}),
  };
}

const variants = Object.keys(scored[0].scores).filter((v) => !v.startsWith('human_'));
const human = Object.keys(scored[0].scores).filter((v) => v.startsWith('human_'));
const withoutCue = (c: string) => LIVENESS_CUES.filter((x) => x !== c);
/** Fusion with extra model scores (logits) as inputs beside the cues. */
const fuseWith = (vs: string[], extra: string[]): Rule => ({
  name: `fuse(${vs.join('+')}; all cues + ${extra.join(',')})`,
  fit: (train) => {
    const x = (r: ScoredRow) => [logit(combo(r, vs)), ...r.cues, ...extra.map((e) => logit(r.scores[e]))];
    const model = fitLogistic(train.map((r) => ({ x: x(r), live: r.cls === 'live', set: r.set })), ['model_logit', ...LIVENESS_CUES, ...extra], 1e-2);
    return { score: (r) => applyFusion(model, x(r)), model };
  },
});
const rules: Rule[] = [
  ...variants.map((v) => scoreRule([v])),
  scoreRule(['shift27', 'shift27f']), scoreRule(['edge27', 'edge27f']), scoreRule(['mirror27', 'mirror27f']),
  scoreRule(['shift27', 'edge27']), scoreRule(['shift27', 'shift20']), scoreRule(['edge27', 'edge20']), scoreRule(['shift27', 'shift15']),
  fuseRule(['shift27'], LIVENESS_CUES), fuseRule(['shift27', 'shift27f'], LIVENESS_CUES),
  { ...fuseRule(['shift27'], LIVENESS_CUES, 1e-3), name: 'fuse(shift27; all cues) lambda 1e-3' },
  { ...fuseRule(['shift27'], LIVENESS_CUES, 1e-1), name: 'fuse(shift27; all cues) lambda 1e-1' }, fuseRule(['edge27'], LIVENESS_CUES),
  ...LIVENESS_CUES.map((c) => ({ ...fuseRule(['shift27'], withoutCue(c)), name: `fuse(shift27; all cues but ${c})` })),
  ...human.map((h) => scoreRule([h])),
  ...human.map((h) => scoreRule(['shift27', h])),
  ...(human.length ? [fuseWith(['shift27'], human), ...human.map((h) => fuseWith(['shift27'], [h]))] : []),
];
const results = rules.map(evaluate);
// The SDK's rule as shipped: nothing fitted here, the constant applied.
results.push(evaluate({ name: 'shipped', fit: () => ({ score: (r) => fuseLiveness(r.scores.shift27, r.cues) }) }));
if (values['write-fusion']) {
  const shipped = results.find((r) => r.rule === 'fuse(shift27; all cues)')!;
  writeFileSync(values['write-fusion'], JSON.stringify({ fusion: shipped.model, threshold: shipped.shared.threshold, range: shipped.shared.range }, null, 2));
}

if (values.json) {
  console.log(JSON.stringify({ frames: rows.length, no_face: rows.filter((r) => !r.box).map((r) => `${r.set}/${r.file}`), results }, null, 2));
} else {
  const pc = (v: number | undefined) => (v === undefined ? '—' : (100 * v).toFixed(1).padStart(5));
  const au = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));
  const line = (tag: string, rep: Record<string, SetReport>) => Object.entries(rep).map(([s, r]) =>
    `  ${tag.padEnd(10)} ${s.padEnd(5)} BPCER ${pc(r.bpcer)}  APCER ${Object.entries(r.apcer).map(([m, v]) => `${m} ${pc(v)}`).join('  ')}  AUC p/r ${au(r.auc.print)}/${au(r.auc.replay)}`).join('\n');
  console.log(`frames ${rows.length}, no face: ${rows.filter((r) => !r.box).map((r) => `${r.set}/${r.file}`).join(' ') || 'none'}`);
  for (const r of results) {
    console.log(`\n${r.rule}  shared threshold ${r.shared.threshold.toFixed(4)} (range ${r.shared.range.map((v) => v.toPrecision(4)).join('–')})`);
    console.log(line(`@${r.fixed.threshold}`, r.fixed.by_set));
    console.log(line(`@${r.shared.threshold.toFixed(3)}`, r.shared.by_set));
    console.log(line(`cv${K}`, r.cv));
    if (r.model) console.log(`  model ${JSON.stringify(r.model)}`);
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(`\ncost per face (Node wasm 1 thread, median): model ${med(scored.map((r) => r.ms.model)).toFixed(2)} ms, cues ${med(scored.map((r) => r.ms.cues)).toFixed(3)} ms`);
}
