/**
 * Per-face attributes with the platform's meaning and sign conventions (docs/attributes.md).
 * Each module computes one field from the image and the 68 landmarks; nothing is a constant.
 */
export { DEG, eyeDistance, eyeLineAngle, faceOutline, FACE_OUTLINE, insidePolygon } from './geometry.js';
export { fitPose, headPose, poseAngles, POSE_WEIGHTS, DEPTH_SCALE, FRONTAL_TILT_DEG, type HeadPose, type PoseFit } from './pose.js';
export { EYE_INPUT, eyeAspectRatio, eyeClosedProbability, mirrorEyeInput, prepareEyeInput } from './eyes.js';
export { mouthGapRatio, mouthOpened, MOUTH_CLOSED_RATIO, MOUTH_WIDE_RATIO } from './mouth.js';
export { faceLuminance } from './luminance.js';
export { faceCellMask, faceOcclusion, occlusionInput, occlusionMap, OCC_GRID } from './occlusion.js';
export { alignedLuma, faceQuality, qualityFactors, QUALITY_RANGES, sharpness, type QualityInputs } from './quality.js';
