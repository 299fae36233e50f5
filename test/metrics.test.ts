import { describe, expect, it } from 'vitest';
import { calibratedSimilarity, CALIBRATION, cosineForSimilarity, PLATFORM_THRESHOLD } from '../src/contract/calibration.js';
import { bestThreshold, ratesAt, rocAuc, tarAtFar } from '../src/node/metrics.js';

describe('verification metrics', () => {
  const pairs = [
    { score: 0.9, same: true }, { score: 0.8, same: true }, { score: 0.4, same: true },
    { score: 0.5, same: false }, { score: 0.2, same: false }, { score: 0.1, same: false },
  ];
  it('AUC counts the ordered positive/negative pairs', () => {
    expect(rocAuc(pairs)).toBeCloseTo(8 / 9, 10); // only (0.4 same) < (0.5 diff) is misordered
  });
  it('rates at a threshold', () => {
    const r = ratesAt(pairs, 0.45);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.fmr).toBeCloseTo(1 / 3, 12);
    expect(r.fnmr).toBeCloseTo(1 / 3, 12);
  });
  it('best threshold and TAR at FAR', () => {
    expect(bestThreshold(pairs).accuracy).toBeCloseTo(5 / 6, 10);
    expect(tarAtFar(pairs, 0)).toBeCloseTo(2 / 3, 10);
  });
});

describe('calibration', () => {
  it('maps the fitted cosine threshold to exactly 0.7 and is monotonic', () => {
    expect(calibratedSimilarity(CALIBRATION.cosineAtThreshold)).toBeCloseTo(PLATFORM_THRESHOLD, 12);
    let prev = -1;
    for (let c = -1; c <= 1; c += 0.05) {
      const s = calibratedSimilarity(c);
      expect(s).toBeGreaterThan(prev);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      prev = s;
    }
    expect(cosineForSimilarity(calibratedSimilarity(0.42))).toBeCloseTo(0.42, 9);
  });
});
