/**
 * The platform's per-face object (docs/attributes.md) from one detection: landmarks, alignment,
 * eyes, pose, light, occlusion, quality. Pixel values come back in the caller's pixels.
 */
import { alignFace } from '../pipeline/align.js';
import {
  alignedLuma, eyeDistance, faceCellMask, faceLuminance, faceOcclusion, faceQuality, headPose, mouthOpened, occlusionInput, sharpness,
} from '../pipeline/attributes/index.js';
import type { Detection } from '../pipeline/detect.js';
import { fivePoints, LEFT_EYE, RIGHT_EYE, type Landmarks68 } from '../pipeline/landmarks.js';
import type { RgbaImage } from '../pipeline/image.js';
import type { PreparedImage } from '../pipeline/prepared.js';
import type { FaceLiveness } from '../contract/liveness.js';
import type { Face } from '../contract/result.js';
import type { StageTimings } from '../contract/types.js';
import type { Stopwatch } from './timing.js';

/** One analysed face: the platform's per-face object plus what a comparison needs. */
export interface AnalyzedFace {
  face: Face;
  score: number;
  /** Aligned-crop tensor (embedder input), kept so the embedding runs only when asked. */
  alignedTensor: Float32Array;
  /** Detector box in working pixels (the liveness crop is cut around it). */
  box: Detection;
  /** Its liveness, when the analysis asked for it (FaceEngine.analyze with `liveness`). */
  liveness?: FaceLiveness;
}

/** The two model stages a face description needs (FaceEngine's). */
export interface FaceModels {
  landmarks(img: RgbaImage, box: Detection): Promise<Landmarks68>;
  eyeClosed(img: RgbaImage, pts: Landmarks68, eye: readonly number[]): Promise<number>;
}

/** Describes the face at `det`; each stage's milliseconds are added to `timings`. */
export async function describeFace(models: FaceModels, input: PreparedImage, det: Detection, timings: StageTimings, sw: Stopwatch): Promise<AnalyzedFace> {
  const img = input.image;
  const pts = await models.landmarks(img, det);
  timings.landmarks += sw.lap();
  const { tensor, srcToCrop } = alignFace(img, fivePoints(pts));
  timings.align += sw.lap();
  const [rightClosed, leftClosed] = [await models.eyeClosed(img, pts, RIGHT_EYE), await models.eyeClosed(img, pts, LEFT_EYE)];
  const { yaw, pitch, roll } = headPose(pts);
  const luminance = faceLuminance(img, pts);
  const occlusion = faceOcclusion(occlusionInput(img, srcToCrop), faceCellMask(pts, srcToCrop));
  const k = input.toSource;
  // Quality judges the face as the embedder gets it: eye distance in working pixels, not the caller's.
  const quality = faceQuality({ sharpness: sharpness(alignedLuma(tensor)), eyeDist: eyeDistance(pts), yaw, pitch, luminance, occlusion });
  const face: Face = {
    ...sourceBox(det, k),
    landmark_68: Array.from({ length: 68 }, (_, i) => ({ x: pts[2 * i] * k, y: pts[2 * i + 1] * k })),
    eye_dist: eyeDistance(pts) * k,
    face_luminance: luminance,
    face_occlusion: occlusion,
    face_quality: quality,
    left_eye_closed: leftClosed,
    right_eye_closed: rightClosed,
    mouth_opened: mouthOpened(pts),
    yaw,
    pitch,
    roll,
  };
  timings.attributes += sw.lap();
  return { face, score: det.score, alignedTensor: tensor, box: det };
}

/** A working-pixel box in the caller's pixels, rounded to the platform's integers. */
export const sourceBox = (d: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>, k: number) => ({
  x1: Math.round(d.x1 * k), y1: Math.round(d.y1 * k), x2: Math.round(d.x2 * k), y2: Math.round(d.y2 * k),
});
