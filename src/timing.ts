/** Milliseconds spent per pipeline stage in one call. */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  attributes: number;
}

export const FIRST_STAGE_TIMINGS: StageTimings = { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0 };

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
