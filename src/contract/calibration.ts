import fitted from './calibration.json' with { type: 'json' };

/**
 * Cosine similarity → compare_similarity. A logistic curve fitted on LFW View 1 train pairs
 * (tools/accuracy/calibrate.ts), shifted so that the cosine threshold that best separates those pairs maps
 * exactly to the platform's decision threshold of 0.7. Monotonic, so any threshold on the score is a
 * threshold on the cosine.
 */
export const PLATFORM_THRESHOLD = 0.7;

export interface Calibration {
  /** Logistic slope fitted on the train pairs. */
  slope: number;
  /** Cosine at which compare_similarity equals 0.7. */
  cosineAtThreshold: number;
}

export const CALIBRATION: Calibration = { slope: fitted.slope, cosineAtThreshold: fitted.cosineAtThreshold };

const LOGIT_THRESHOLD = Math.log(PLATFORM_THRESHOLD / (1 - PLATFORM_THRESHOLD));

export function calibratedSimilarity(cos: number, cal: Calibration = CALIBRATION): number {
  return 1 / (1 + Math.exp(-(cal.slope * (cos - cal.cosineAtThreshold) + LOGIT_THRESHOLD)));
}

/** The cosine that a compare_similarity value corresponds to (inverse of the mapping). */
export function cosineForSimilarity(sim: number, cal: Calibration = CALIBRATION): number {
  return cal.cosineAtThreshold + (Math.log(sim / (1 - sim)) - LOGIT_THRESHOLD) / cal.slope;
}

/** The platform's verdict for a compare_similarity: 'Same person' at or above the threshold. */
export function compareVerdict(similarity: number, threshold = PLATFORM_THRESHOLD): 'Same person' | 'Different person' {
  return similarity >= threshold ? 'Same person' : 'Different person';
}
