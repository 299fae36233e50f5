/**
 * The liveness threshold rule and the ISO/IEC 30107-3 error rates. Rule: the threshold that
 * minimises APCER + BPCER (prints accepted + live people refused, equal weight) over the midpoints
 * between neighbouring scores; when a range of thresholds ties, the middle of that range in logit
 * space (the farthest from both classes' nearest scores).
 */
export interface ScoredFrame {
  score: number;
  live: boolean;
  subject: string;
}

export interface PadRates {
  threshold: number;
  /** Attack presentation classification error rate: share of print frames judged live. */
  apcer: number;
  /** Bona fide presentation classification error rate: share of live frames judged print. */
  bpcer: number;
  prints_accepted: number;
  live_refused: number;
}

export function padRates(frames: ScoredFrame[], threshold: number): PadRates {
  const live = frames.filter((f) => f.live), print = frames.filter((f) => !f.live);
  const accepted = print.filter((f) => f.score >= threshold).length;
  const refused = live.filter((f) => f.score < threshold).length;
  return { threshold, apcer: accepted / print.length, bpcer: refused / live.length, prints_accepted: accepted, live_refused: refused };
}

const logit = (p: number) => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface ChosenThreshold {
  /** The logit midpoint of the best range. */
  threshold: number;
  /** Every threshold in (above, below] gives the same, best, errors. */
  range: [number, number];
  rates: PadRates;
}

/**
 * The rule: fewest prints accepted first (APCER), then fewest live frames refused (BPCER); of the
 * range of thresholds that tie, the middle in logit space, as far from both neighbouring scores as
 * the score's own scale allows. A print accepted is the kiosk's security failure; a live frame
 * refused costs one more camera frame (the gate waits for consecutive live frames) or a retry.
 */
export function chooseThreshold(frames: ScoredFrame[]): ChosenThreshold {
  const scores = [...new Set(frames.map((f) => f.score))].sort((a, b) => a - b);
  // A threshold equal to a score accepts it: every distinct score is a candidate, and 1 + ε (accept none).
  const cands = [...scores, 1 + 1e-9];
  const key = (r: PadRates) => [r.prints_accepted, r.live_refused];
  let best: number[] | undefined, lo = -1, hi = -1;
  for (const [i, t] of cands.entries()) {
    const k = key(padRates(frames, t));
    const cmp = best ? k[0] - best[0] || k[1] - best[1] : -1;
    if (cmp < 0) { best = k; lo = hi = i; } else if (cmp === 0 && hi === i - 1) hi = i;
  }
  const below = lo > 0 ? cands[lo - 1] : 0;
  const above = Math.min(cands[hi], 1);
  const threshold = sigmoid((logit(below) + logit(above)) / 2);
  return { threshold, range: [below, above], rates: padRates(frames, threshold) };
}
