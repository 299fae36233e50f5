/**
 * The camera flow's liveness decision over frames: "live" only after several consecutive frames
 * score live, so one lucky frame of a print (or one unlucky frame of a person) does not decide.
 * Pure, no DOM: feed it each frame's score (fr.liveness(video).score), or null when no face was found.
 */
import { FaceError } from '../contract/errors.js';
import { LIVENESS_THRESHOLD } from '../contract/liveness.js';

/** Consecutive live frames the gate wants by default (docs/liveness.md). */
export const LIVENESS_GATE_FRAMES = 3;

export interface LivenessGateOptions {
  /** Consecutive frames at or above the threshold before the gate says live (default 3). */
  frames?: number;
  /** Live-score threshold per frame (default LIVENESS_THRESHOLD). */
  threshold?: number;
}

/** 'live': enough consecutive live frames; 'checking': live so far, not yet enough; 'print': this frame looks printed; 'no-face': none found. */
export type LivenessGateState = 'live' | 'checking' | 'print' | 'no-face';

export interface LivenessGateDecision {
  state: LivenessGateState;
  /** Consecutive live frames so far (0 after a print frame or a lost face). */
  streak: number;
  /** Frames the gate wants. */
  needed: number;
  /** This frame's score, when a face was found. */
  score?: number;
}

export interface LivenessGate {
  /** One frame's live score, or null when the frame had no face. */
  push(score: number | null | undefined): LivenessGateDecision;
  /** The last decision (state 'no-face' before any frame). */
  readonly decision: LivenessGateDecision;
  /** Forgets the streak (a new subject, the camera restarted). */
  reset(): void;
}

export function createLivenessGate(options: LivenessGateOptions = {}): LivenessGate {
  const needed = options.frames ?? LIVENESS_GATE_FRAMES;
  const threshold = options.threshold ?? LIVENESS_THRESHOLD;
  if (!Number.isInteger(needed) || needed < 1) throw new FaceError('INVALID_OPTIONS', `frames must be an integer >= 1, got ${needed}`);
  if (!(threshold >= 0 && threshold <= 1)) throw new FaceError('INVALID_OPTIONS', `threshold must be in [0, 1], got ${threshold}`);
  const initial: LivenessGateDecision = { state: 'no-face', streak: 0, needed };
  let decision = initial;
  return {
    push(score) {
      if (score === null || score === undefined || Number.isNaN(score)) {
        decision = { state: 'no-face', streak: 0, needed };
      } else if (score < threshold) {
        decision = { state: 'print', streak: 0, needed, score };
      } else {
        const streak = decision.streak + 1;
        decision = { state: streak >= needed ? 'live' : 'checking', streak, needed, score };
      }
      return decision;
    },
    get decision() {
      return decision;
    },
    reset() {
      decision = initial;
    },
  };
}
