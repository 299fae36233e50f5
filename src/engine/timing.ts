import type { StageTimings } from '../contract/types.js';

export type { StageTimings, Timed } from '../contract/types.js';

/** A fresh all-zero timings record for one call. */
export function zeroTimings(): StageTimings {
  return { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0, liveness: 0 };
}

export class Stopwatch {
  private t = performance.now();
  /** Milliseconds since the last lap (or creation). */
  lap(): number {
    const now = performance.now();
    const d = now - this.t;
    this.t = now;
    return d;
  }
}
