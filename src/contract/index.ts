/**
 * The contract: the platform's compare_face JSON as zod schemas, the options of every call, the
 * score calibration, the input limits and the error types. Every public type is exported from here
 * (the package's `face-compare-sdk/schema` entry); the other entries re-export it.
 * @module face-compare-sdk/schema
 */
export {
  SdkError, isSdkError, FaceError, isFaceError, ERROR_CODES,
  type ErrorDetails, type FaceErrorCode, type FaceErrorDetails,
} from './errors.js';
export { CompareResultSchema, FaceSchema, PointSchema, COMPARE_RESULTS, type CompareResult, type Face, type Point } from './result.js';
export {
  AnalyzeOptionsSchema, CompareOptionsSchema, RecognizerOptionsSchema, CHANNELS,
  type AnalyzeOptions, type CompareOptions, type RecognizerOptions, type Channel,
} from './options.js';
export { LivenessOptionsSchema, type LivenessOptions } from './options.js';
export { LOAD_PHASES, type LoadPhase, type LoadProgress } from './options.js';
export { LIVENESS_THRESHOLD, LIVENESS_CHECKS, type LivenessCheck, type LivenessResult } from './liveness.js';
export { PLATFORM_THRESHOLD, CALIBRATION, calibratedSimilarity, cosineForSimilarity, type Calibration } from './calibration.js';
export { MAX_INPUT_PIXELS, WORKING_MAX_SIDE } from './limits.js';
export type {
  RgbaImage, StageTimings, Timed, RecognizerCallOptions, CallStats, CompareDetails, AnalyzeDetails, LivenessDetails,
} from './types.js';
