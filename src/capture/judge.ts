/**
 * The capture decision over a stream of analysed frames: each frame's hint, whether it is fit, and
 * when to capture. Pure, no DOM: the controller feeds it every analysed frame, the tests feed it real
 * webcam sequences (NUAA) in Node.
 *
 * A frame is fit when the guidance says `ok` and, under liveness "require", its main face also scores
 * live. After `frames` consecutive fit frames (the window) the best of them — highest face_quality,
 * among those whose eyes read open when there are any — is the one to capture. A frame that is not fit empties the window, so a blink, a turn or a printed
 * photo restarts the count.
 */
import { FaceError } from '../contract/errors.js';
import type { FaceLiveness } from '../contract/liveness.js';
import type { Face } from '../contract/result.js';
import { CAPTURE_RULES, eyesClosed, guide, type CaptureRules, type HintCode } from './rules.js';

/** `off`: no liveness model; `show`: each frame scored, reported, never blocking; `require`: only live frames are captured. */
export const LIVENESS_MODES = ['off', 'show', 'require'] as const;
export type LivenessMode = (typeof LIVENESS_MODES)[number];

/** Consecutive fit frames before a capture, by default. */
export const CAPTURE_FRAMES = 3;

export interface JudgeOptions {
  /** Consecutive fit frames before a capture (default CAPTURE_FRAMES). Under "require" they are live ones too. */
  frames?: number;
  liveness?: LivenessMode;
  /** The guidance thresholds (default CAPTURE_RULES). */
  rules?: CaptureRules;
  /**
   * true (default): a full window yields its best frame (`best` of the verdict) and starts over.
   * false: the window rolls over the last `frames` fit frames; `take()` hands out its best on request.
   */
  auto?: boolean;
}

/** One analysed frame as the judge reads it (analyzeDetailed's result and the frame's size). */
export interface AnalysedFrame {
  faces: readonly Face[];
  /** analyzeDetailed(…, { liveness: true })'s, in the order of faces. */
  liveness?: readonly FaceLiveness[];
  width: number;
  height: number;
}

export interface Verdict<T> {
  /** The hint for this frame. */
  code: HintCode;
  /** This frame is fit to capture (guidance ok, and live under "require"). */
  ok: boolean;
  /** The main face's liveness, when it was scored. */
  liveness?: FaceLiveness;
  /** Consecutive fit frames so far (the window's size), and the number wanted. */
  streak: number;
  needed: number;
  /** Set once the window is full: the best frame of the window (highest face_quality). */
  best?: T;
}

export interface CaptureJudge<T> {
  /** Judges one frame; `item` is what the caller keeps for it (its pixels) and gets back as `best`. */
  push(item: T, frame: AnalysedFrame): Verdict<T>;
  /**
   * The best frame of the current window, for a capture asked for by hand (the window is then
   * emptied); undefined when there is none, or, under "require", fewer than `frames` live ones.
   */
  take(): T | undefined;
  /** Empties the window (calls `release` for each item). */
  reset(): void;
}

/**
 * `release(item)` is called for every item that leaves the window without being returned as `best`
 * (so the caller can close its bitmap); the item returned as `best` is the caller's again.
 */
export function createCaptureJudge<T>(options: JudgeOptions = {}, release: (item: T) => void = () => undefined): CaptureJudge<T> {
  const needed = options.frames ?? CAPTURE_FRAMES;
  const mode = options.liveness ?? 'show';
  const rules = options.rules ?? CAPTURE_RULES;
  if (!Number.isInteger(needed) || needed < 1) throw new FaceError('INVALID_OPTIONS', `frames must be an integer >= 1, got ${needed}`);
  const auto = options.auto ?? true;
  let window: { item: T; quality: number; open: boolean }[] = [];
  let streak = 0;
  // Frames since this person's eyes last read open (Infinity: not yet, or the face was lost).
  let sinceOpen = Infinity;
  const empty = (keep?: T) => {
    for (const w of window) if (w.item !== keep) release(w.item);
    window = [];
  };
  // Highest face_quality among the frames whose eyes read open (all of them when none did).
  const rank = (w: (typeof window)[number]) => (w.open ? 2 : 0) + w.quality;
  const bestOf = () => window.reduce<(typeof window)[number] | undefined>((b, w) => (!b || rank(w) > rank(b) ? w : b), undefined)?.item;
  return {
    push(item, frame) {
      const main = frame.faces[0];
      if (!main || frame.faces.length > 1) sinceOpen = Infinity;
      else sinceOpen = eyesClosed(main, rules) ? sinceOpen + 1 : 0;
      let code = guide(frame.faces, frame, rules, { eyesReadOpen: sinceOpen <= rules.eyeMemory });
      const liveness = mode === 'off' ? undefined : frame.liveness?.[0];
      if (code === 'ok' && mode === 'require' && !liveness?.live) code = 'print';
      if (code !== 'ok') {
        empty();
        streak = 0;
        release(item);
        return { code, ok: false, liveness, streak, needed };
      }
      window.push({ item, quality: main!.face_quality, open: !eyesClosed(main!, rules) });
      if (window.length > needed) release(window.shift()!.item);
      streak++;
      const full = streak >= needed;
      const verdict: Verdict<T> = { code: !full && mode === 'require' ? 'checking' : 'ok', ok: full || mode !== 'require', liveness, streak, needed };
      if (auto && full) {
        verdict.best = bestOf()!;
        empty(verdict.best);
        streak = 0;
      }
      return verdict;
    },
    take() {
      if (mode === 'require' && streak < needed) return undefined;
      const best = bestOf();
      empty(best);
      streak = 0;
      return best;
    },
    reset() {
      empty();
      streak = 0;
      sinceOpen = Infinity;
    },
  };
}
