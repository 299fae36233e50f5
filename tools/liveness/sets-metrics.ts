/**
 * Error rates per set and per attack medium (ISO/IEC 30107-3 terms, one frame = one decision), the
 * one threshold chosen across several sets, and subject-wise folds for cross-validation.
 */
import { rocAuc } from 'face-compare-sdk/internal';
import type { AttackClass } from './sets.js';

export interface SetFrame {
  set: string;
  cls: AttackClass;
  medium: string;
  subject: string;
  score: number;
}

export interface SetReport {
  live: number;
  attacks: number;
  /** Share of live frames refused. */
  bpcer: number;
  live_refused: number;
  /** Per attack medium: frames, and frames accepted as live. */
  media: Record<string, { frames: number; accepted: number }>;
  /** Per attack medium: share of its frames accepted as live. */
  apcer: Record<string, number>;
  /** Per attack class (print, replay): share accepted. */
  apcer_class: Partial<Record<'print' | 'replay', number>>;
  /** The worst medium's APCER (ISO's APCER of the set). */
  apcer_max: number;
  /** ROC AUC live vs each attack class. */
  auc: Partial<Record<'print' | 'replay', number>>;
}

const share = (v: SetFrame[], pred: (f: SetFrame) => boolean) => (v.length ? v.filter(pred).length / v.length : 0);

export function setReport(frames: SetFrame[], threshold: number): SetReport {
  const live = frames.filter((f) => f.cls === 'live'), attacks = frames.filter((f) => f.cls !== 'live');
  const apcer: Record<string, number> = {}, media: SetReport['media'] = {};
  for (const m of [...new Set(attacks.map((f) => f.medium))].sort()) {
    const mine = attacks.filter((f) => f.medium === m);
    apcer[m] = share(mine, (f) => f.score >= threshold);
    media[m] = { frames: mine.length, accepted: mine.filter((f) => f.score >= threshold).length };
  }
  const apcer_class: SetReport['apcer_class'] = {}, auc: SetReport['auc'] = {};
  for (const c of ['print', 'replay'] as const) {
    const a = attacks.filter((f) => f.cls === c);
    if (!a.length) continue;
    apcer_class[c] = share(a, (f) => f.score >= threshold);
    auc[c] = live.length ? rocAuc([...live, ...a].map((f) => ({ score: f.score, same: f.cls === 'live' }))) : NaN;
  }
  return {
    live: live.length, attacks: attacks.length, bpcer: share(live, (f) => f.score < threshold), live_refused: live.filter((f) => f.score < threshold).length, media, apcer, apcer_class,
    apcer_max: Math.max(0, ...Object.values(apcer)), auc,
  };
}

export function reportBySet(frames: SetFrame[], threshold: number): Record<string, SetReport> {
  const sets = [...new Set(frames.map((f) => f.set))].sort();
  return Object.fromEntries(sets.map((s) => [s, setReport(frames.filter((f) => f.set === s), threshold)]));
}

/** Mean over the sets of ACER = (worst medium's APCER + BPCER) / 2: each set counts the same, whatever its size. */
export function meanAcer(frames: SetFrame[], threshold: number): number {
  const r = Object.values(reportBySet(frames, threshold));
  return r.reduce((a, s) => a + (s.apcer_max + s.bpcer) / 2, 0) / r.length;
}

const logit = (p: number) => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * One threshold for all the sets: the one with the lowest mean ACER over the sets (meanAcer); of the
 * range of thresholds that tie, the middle in logit space. Scores are in [0, 1].
 */
export function chooseSharedThreshold(frames: SetFrame[]): { threshold: number; range: [number, number]; acer: number } {
  const cands = [...new Set(frames.map((f) => f.score))].sort((a, b) => a - b);
  // Per set: its live scores and each medium's attack scores, sorted, so that a threshold's counts are binary searches.
  const sets = [...new Set(frames.map((f) => f.set))];
  const groups = sets.map((s) => {
    const mine = frames.filter((f) => f.set === s);
    const sorted = (v: SetFrame[]) => Float64Array.from(v.map((f) => f.score)).sort();
    return { live: sorted(mine.filter((f) => f.cls === 'live')), media: [...new Set(mine.filter((f) => f.cls !== 'live').map((f) => f.medium))].map((m) => sorted(mine.filter((f) => f.cls !== 'live' && f.medium === m))) };
  });
  /** How many of the sorted values are below t. */
  const below = (v: Float64Array, t: number) => { let lo = 0, hi = v.length; while (lo < hi) { const mid = (lo + hi) >> 1; if (v[mid] < t) lo = mid + 1; else hi = mid; } return lo; };
  const acerAt = (t: number) => groups.reduce((a, g) => {
    const bpcer = g.live.length ? below(g.live, t) / g.live.length : 0;
    const apcer = Math.max(0, ...g.media.map((m) => (m.length - below(m, t)) / m.length));
    return a + (apcer + bpcer) / 2;
  }, 0) / groups.length;
  let best = Infinity, lo = 0, hi = 0;
  const acers = cands.map(acerAt);
  for (let i = 0; i < cands.length; i++) {
    if (acers[i] < best - 1e-12) { best = acers[i]; lo = hi = i; } else if (Math.abs(acers[i] - best) <= 1e-12 && hi === i - 1) hi = i;
  }
  const lower = lo > 0 ? cands[lo - 1] : 0, upper = cands[hi];
  return { threshold: sigmoid((logit(lower) + logit(upper)) / 2), range: [lower, upper], acer: best };
}

/**
 * Subject-wise folds: every set's subjects sorted and dealt round-robin into k folds, so each fold
 * holds about 1/k of every set's subjects and no subject is in two folds.
 */
export function subjectFolds(frames: { set: string; subject: string }[], k: number): Map<string, number> {
  const fold = new Map<string, number>();
  for (const s of [...new Set(frames.map((f) => f.set))].sort()) {
    const subjects = [...new Set(frames.filter((f) => f.set === s).map((f) => f.subject))].sort();
    subjects.forEach((sub, i) => fold.set(sub, i % k));
  }
  return fold;
}
