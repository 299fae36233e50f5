/**
 * Capture guidance for the demo: the rules are the SDK's (`face-compare-sdk/capture`, the same ones
 * `<face-capture>` applies); this adds the demo's wording for an uploaded photo.
 */
import { CAPTURE_RULES, DEFAULT_MESSAGES, guide as guideCode, type CaptureRules, type HintCode } from 'face-compare-sdk/capture';
import type { Face } from 'face-compare-sdk';

export const GUIDANCE = CAPTURE_RULES;
export type { HintCode };

export interface Hint {
  code: HintCode;
  /** True when the frame is fit to capture. */
  ok: boolean;
  /** What to tell a person in front of the camera. */
  live: string;
  /** What to say about an uploaded photo. */
  photo: string;
}

const PHOTO: Record<HintCode, string> = {
  'ok': 'Face found',
  'no-face': 'No face found in this photo',
  'several-faces': 'Several faces — the main one (green) is used',
  'off-frame': 'The face is cut off at the edge of the photo',
  'too-far': 'The face is small in this photo',
  'too-dark': 'The face is too dark',
  'too-bright': 'The face is overexposed',
  'pose': 'The head is turned or tilted',
  'occluded': 'Part of the face is covered',
  'eyes-closed': 'The eyes look closed',
  'low-quality': 'The face is not clear enough (blurred or partly covered)',
  'print': 'This looks like a printed photo',
  'checking': 'Checking…',
};

export function hint(code: HintCode): Hint {
  // The demo has a Capture button: its 'ok' says so.
  return { code, ok: code === 'ok', live: code === 'ok' ? 'Good — hold still and capture' : DEFAULT_MESSAGES[code], photo: PHOTO[code] };
}

/** One image's hint (a photo, or a frame judged on its own). */
export function guide(faces: readonly Face[], frame: { width: number; height: number }, t: CaptureRules = CAPTURE_RULES): Hint {
  return hint(guideCode(faces, frame, t));
}
