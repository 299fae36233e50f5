/** Verification metrics over scored pairs (higher score = more alike). */
export interface ScoredPair {
  score: number;
  same: boolean;
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties counted half. */
export function rocAuc(pairs: ScoredPair[]): number {
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  let rankSumPos = 0, nPos = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const avgRank = (i + j + 1) / 2; // 1-based ranks i+1..j
    for (let k = i; k < j; k++) if (sorted[k].same) { rankSumPos += avgRank; nPos++; }
    i = j;
  }
  const nNeg = sorted.length - nPos;
  if (!nPos || !nNeg) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface ErrorRates {
  accuracy: number;
  /** False match rate: share of different-person pairs accepted. */
  fmr: number;
  /** False non-match rate: share of same-person pairs rejected. */
  fnmr: number;
}

export function ratesAt(pairs: ScoredPair[], threshold: number): ErrorRates {
  let fm = 0, fnm = 0, nPos = 0, nNeg = 0;
  for (const p of pairs) {
    if (p.same) { nPos++; if (p.score < threshold) fnm++; } else { nNeg++; if (p.score >= threshold) fm++; }
  }
  return { accuracy: 1 - (fm + fnm) / pairs.length, fmr: nNeg ? fm / nNeg : NaN, fnmr: nPos ? fnm / nPos : NaN };
}

/** The threshold (midway between neighbouring scores) with the best accuracy. */
export function bestThreshold(pairs: ScoredPair[]): { threshold: number; accuracy: number } {
  const s = [...new Set(pairs.map((p) => p.score))].sort((a, b) => a - b);
  let best = { threshold: s[0], accuracy: ratesAt(pairs, s[0]).accuracy };
  for (let i = 1; i < s.length; i++) {
    const t = (s[i - 1] + s[i]) / 2;
    const acc = ratesAt(pairs, t).accuracy;
    if (acc > best.accuracy) best = { threshold: t, accuracy: acc };
  }
  return best;
}

/** True accept rate at the lowest threshold whose false accept rate is ≤ far. */
export function tarAtFar(pairs: ScoredPair[], far: number): number {
  const neg = pairs.filter((p) => !p.same).map((p) => p.score).sort((a, b) => b - a);
  const pos = pairs.filter((p) => p.same).map((p) => p.score);
  if (!neg.length || !pos.length) return NaN;
  const allowed = Math.floor(far * neg.length); // how many impostors may pass
  // Threshold just above the (allowed+1)-th highest impostor score.
  const t = allowed < neg.length ? neg[allowed] : -Infinity;
  return pos.filter((s) => s > t).length / pos.length;
}
