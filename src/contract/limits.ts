/** What inputs the SDK accepts, the numbers (the checks are in input/limits.ts). */

/**
 * Largest image accepted, in pixels. 120 MP covers every phone and DSLR photo (a 12000x9000 photo is
 * 108 MP) while refusing decompression bombs; larger inputs get IMAGE_TOO_LARGE. Accepted images
 * are downscaled to WORKING_MAX_SIDE before analysis, and results are mapped back to the caller's pixels.
 */
export const MAX_INPUT_PIXELS = 120_000_000;

/** Largest side the pipeline works at; bigger decoded images are downscaled first. */
export const WORKING_MAX_SIDE = 2048;
