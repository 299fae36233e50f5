/**
 * Capture guidance: the faces found in one camera frame → the single most useful hint, and whether
 * the frame is fit to capture. Pure (no DOM): it runs in Node tests on real analyze() output. Every
 * threshold is in CAPTURE_RULES; docs/capture.md explains them and how the eye and quality rules were
 * chosen on real webcam sequences.
 */
import type { Face } from '../contract/result.js';

export const CAPTURE_RULES = {
  /** A second face whose eye distance is at least this share of the main face's is a second person (smaller ones are background). */
  secondFaceRatio: 0.5,
  /** Eye distance in source pixels below which the face is too small. face_quality's size factor is full at 32 px; 40 leaves margin. */
  minEyeDist: 40,
  /** Pixels the box must keep from the frame's edges: a box touching an edge means part of the face is cut off. */
  edgeMargin: 2,
  /**
   * face_luminance (0–255) outside this range: too dark / too bright (face_quality's light factor is
   * full in 25–245). Real office webcam frames of live people go down to 46 (NUAA): 40 lets them in.
   */
  minLuminance: 40,
  maxLuminance: 225,
  /** Head pose limits in degrees; face_quality's pose factor is full up to 30° yaw and 25° pitch. */
  maxYaw: 20,
  maxPitch: 25,
  maxRoll: 20,
  /** face_occlusion (share of the face hidden) above this: over a third of the face is covered. Quality's occlusion factor reaches 0 at 0.5. */
  maxOcclusion: 0.35,
  /**
   * Eyes closed when BOTH eyes' closed probability is above this. One eye alone does not count: on
   * real webcam frames of people with glasses the model reads one open eye as closed (0.81), while a
   * blink closes both (docs/capture.md).
   */
  maxEyeClosed: 0.5,
  /**
   * In a camera stream, "eyes closed" is said only when this person's eyes read open in one of the
   * last this-many frames (a blink is a change). The eye model reads some people's open eyes behind
   * glasses as closed on every frame (NUAA subjects 3 and 9: 0.95–1.00); they must not be locked out.
   */
  eyeMemory: 30,
  /**
   * face_quality below this, once size, light, pose and occlusion have passed: mostly blur or partial
   * cover. Live NUAA frames of a dim, soft webcam reach 0.21; 0.2 lets them in.
   */
  minQuality: 0.2,
} as const;

/** CAPTURE_RULES' shape, for your own values. */
export type CaptureRules = { [K in keyof typeof CAPTURE_RULES]: number };

/**
 * What the person in front of the camera should do. The frame checks (`ok` … `low-quality`), plus
 * `print` (the liveness model says a printed photo) and `checking` (collecting live frames), which
 * only liveness="require" gives.
 */
export const HINT_CODES = [
  'ok', 'no-face', 'several-faces', 'off-frame', 'too-far', 'too-dark', 'too-bright',
  'pose', 'occluded', 'eyes-closed', 'low-quality', 'print', 'checking',
] as const;
export type HintCode = (typeof HINT_CODES)[number];

/** The default text of each hint (English); the element's `messages` property replaces any of them. */
export const DEFAULT_MESSAGES: Readonly<Record<HintCode, string>> = {
  'ok': 'Good — hold still',
  'no-face': 'No face found — look into the camera',
  'several-faces': 'Several faces — only one person, please',
  'off-frame': 'Keep your whole face inside the frame',
  'too-far': 'Move closer to the camera',
  'too-dark': 'Too dark — add light in front of you',
  'too-bright': 'Too bright — avoid direct light on your face',
  'pose': 'Look straight at the camera',
  'occluded': 'Uncover your face',
  'eyes-closed': 'Keep your eyes open',
  'low-quality': 'Hold still — the face is not clear enough',
  'print': 'This looks like a printed photo: a live face is needed',
  'checking': 'Checking it is a live face…',
};

/**
 * The first failing check, in the order a person can act on them: presence, framing, size, light,
 * pose, occlusion, overall quality, eyes. The eye-state model misreads dark, turned and blurred eyes
 * as closed, so those causes are named first. `faces` are analyze()'s, largest first.
 */
export function guide(faces: readonly Face[], frame: { width: number; height: number }, t: CaptureRules = CAPTURE_RULES, stream?: { eyesReadOpen: boolean }): HintCode {
  const main = faces[0];
  if (!main) return 'no-face';
  if (faces.slice(1).some((f) => f.eye_dist >= t.secondFaceRatio * main.eye_dist)) return 'several-faces';
  const m = t.edgeMargin;
  if (main.x1 < m || main.y1 < m || main.x2 > frame.width - m || main.y2 > frame.height - m) return 'off-frame';
  if (main.eye_dist < t.minEyeDist) return 'too-far';
  if (main.face_luminance < t.minLuminance) return 'too-dark';
  if (main.face_luminance > t.maxLuminance) return 'too-bright';
  if (Math.abs(main.yaw) > t.maxYaw || Math.abs(main.pitch) > t.maxPitch || Math.abs(main.roll) > t.maxRoll) return 'pose';
  if (main.face_occlusion > t.maxOcclusion) return 'occluded';
  if (main.face_quality < t.minQuality) return 'low-quality';
  // In a stream, only when this person's eyes were read open lately (see eyeMemory); a photo always.
  if (eyesClosed(main, t) && (stream?.eyesReadOpen ?? true)) return 'eyes-closed';
  return 'ok';
}

/** Both eyes read closed. */
export const eyesClosed = (face: Face, t: CaptureRules = CAPTURE_RULES) => Math.min(face.left_eye_closed, face.right_eye_closed) > t.maxEyeClosed;
