/**
 * The contract: the platform's compare_face JSON as zod schemas, the options of every call, the
 * errors, the score calibration and the plain types of the results. The package's
 * `face-compare-sdk/schema` entry; the browser and Node entries re-export it.
 * @module face-compare-sdk/schema
 */
export { SdkError, isSdkError, FaceError, isFaceError, ERROR_CODES, type FaceErrorCode } from './errors.js';
export { CompareResultSchema, FaceSchema, type CompareResult, type Face } from './result.js';
export {
  CompareOptionsSchema, RecognizerOptionsSchema, CHANNELS,
  type AnalyzeOptions, type CompareOptions, type LivenessOptions, type RecognizerOptions, type LoadProgress,
} from './options.js';
export { LIVENESS_THRESHOLD, type LivenessResult, type FaceLiveness } from './liveness.js';
export { PLATFORM_THRESHOLD, calibratedSimilarity } from './calibration.js';
export { MAX_INPUT_PIXELS } from './limits.js';
export type { RgbaImage, StageTimings, CallStats, CompareDetails, AnalyzeDetails, LivenessDetails } from './types.js';
