/**
 * Capture guidance: turns the faces found in one frame into the single most useful hint, and
 * decides whether the frame is fit to capture. Pure (no DOM), so it runs in Node tests on real
 * analyze() output. All thresholds live in GUIDANCE; docs/demo.md explains them.
 */
import type { Face } from 'face-compare-sdk';

export const GUIDANCE = {
  /** A second face whose eye distance is at least this share of the main face's is a second person (smaller ones are background). */
  secondFaceRatio: 0.5,
  /** Eye distance in source pixels below which the face is too small. face_quality's size factor is full at 32 px; 40 leaves margin. */
  minEyeDist: 40,
  /** Pixels the box must keep from the frame's edges: a box touching an edge means part of the face is cut off. */
  edgeMargin: 2,
  /** face_luminance (0–255) outside this range: too dark / too bright (face_quality's light factor is full in 25–245). */
  minLuminance: 60,
  maxLuminance: 225,
  /** Head pose limits in degrees; face_quality's pose factor is full up to 30° yaw and 25° pitch. */
  maxYaw: 20,
  maxPitch: 25,
  maxRoll: 20,
  /** face_occlusion (share of the face hidden) above this: over a third of the face is covered. Quality's occlusion factor reaches 0 at 0.5. */
  maxOcclusion: 0.35,
  /** Probability above which an eye counts as closed. */
  maxEyeClosed: 0.5,
  /** face_quality below this, once size, light, pose and occlusion have passed: mostly blur or partial cover. */
  minQuality: 0.3,
} as const;

export type Thresholds = { [K in keyof typeof GUIDANCE]: number };

export type HintCode =
  | 'ok' | 'no-face' | 'several-faces' | 'off-frame' | 'too-far' | 'too-dark' | 'too-bright'
  | 'pose' | 'occluded' | 'eyes-closed' | 'low-quality';

export interface Hint {
  code: HintCode;
  /** True when the frame is fit to capture. */
  ok: boolean;
  /** What to tell a person in front of the camera. */
  live: string;
  /** What to say about an uploaded photo. */
  photo: string;
}

const TEXT: Record<HintCode, [live: string, photo: string]> = {
  'ok': ['Good — hold still and capture', 'Face found'],
  'no-face': ['No face found — look into the camera', 'No face found in this photo'],
  'several-faces': ['Several faces — only one person, please', 'Several faces — the main one (green) is used'],
  'off-frame': ['Keep your whole face inside the frame', 'The face is cut off at the edge of the photo'],
  'too-far': ['Move closer to the camera', 'The face is small in this photo'],
  'too-dark': ['Too dark — add light in front of you', 'The face is too dark'],
  'too-bright': ['Too bright — avoid direct light on your face', 'The face is overexposed'],
  'pose': ['Look straight at the camera', 'The head is turned or tilted'],
  'occluded': ['Uncover your face', 'Part of the face is covered'],
  'eyes-closed': ['Keep your eyes open', 'The eyes look closed'],
  'low-quality': ['Hold still — the face is not clear enough', 'The face is not clear enough (blurred or partly covered)'],
};

export function hint(code: HintCode): Hint {
  const [live, photo] = TEXT[code];
  return { code, ok: code === 'ok', live, photo };
}

/**
 * The first failing check, in the order a person can act on them: presence, framing, size,
 * light, pose, occlusion, overall quality, eyes. The eye-state model misreads dark, turned and blurred
 * eyes as closed, so those causes are named first. `faces` are analyze()'s, largest first.
 */
export function guide(faces: readonly Face[], frame: { width: number; height: number }, t: Thresholds = GUIDANCE): Hint {
  const main = faces[0];
  if (!main) return hint('no-face');
  if (faces.slice(1).some((f) => f.eye_dist >= t.secondFaceRatio * main.eye_dist)) return hint('several-faces');
  const m = t.edgeMargin;
  if (main.x1 < m || main.y1 < m || main.x2 > frame.width - m || main.y2 > frame.height - m) return hint('off-frame');
  if (main.eye_dist < t.minEyeDist) return hint('too-far');
  if (main.face_luminance < t.minLuminance) return hint('too-dark');
  if (main.face_luminance > t.maxLuminance) return hint('too-bright');
  if (Math.abs(main.yaw) > t.maxYaw || Math.abs(main.pitch) > t.maxPitch || Math.abs(main.roll) > t.maxRoll) return hint('pose');
  if (main.face_occlusion > t.maxOcclusion) return hint('occluded');
  if (main.face_quality < t.minQuality) return hint('low-quality');
  if (Math.max(main.left_eye_closed, main.right_eye_closed) > t.maxEyeClosed) return hint('eyes-closed');
  return hint('ok');
}
