/** Plain data types of the public API that are not zod schemas. */

/** An RGBA image, 8 bits per channel, rows top to bottom (the layout of ImageData). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Milliseconds spent per pipeline stage in one call. */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  attributes: number;
  /** Liveness crop and model (0 when liveness was not asked for). */
  liveness: number;
}

/** A call's value with its own stage timings. */
export interface Timed<T> {
  value: T;
  timings: StageTimings;
}
