/**
 * The camera flow as a part any app drops in (`face-compare-sdk/capture`).
 *   import { defineFaceCapture } from 'face-compare-sdk/capture';
 *   defineFaceCapture();                       // <face-capture liveness="require" auto-capture>
 *   const ctl = createFaceCapture({ recognizer, video }); // the same logic without UI
 * docs/capture.md: attributes, events, hint codes, styling.
 * @module face-compare-sdk/capture
 */
export { defineFaceCapture, type FaceCaptureElement } from './element.js';
export {
  createFaceCapture, type FaceCapture, type FaceCaptureOptions, type CaptureState, type CaptureDetail, type HintDetail, type FrameDetail,
} from './controller.js';
export { createCaptureJudge, CAPTURE_FRAMES, LIVENESS_MODES, type CaptureJudge, type JudgeOptions, type AnalysedFrame, type Verdict, type LivenessMode } from './judge.js';
export { guide, CAPTURE_RULES, HINT_CODES, DEFAULT_MESSAGES, type CaptureRules, type HintCode } from './rules.js';
export { FaceError, isFaceError, type FaceErrorCode } from '../contract/errors.js';
