/**
 * The headless capture controller (createFaceCapture): the camera, the frame loop, the hints and
 * the capture, without any UI. `<face-capture>` is this plus its Shadow DOM; React, Vue or Svelte
 * apps that draw their own UI use it directly. Events (on the controller, an EventTarget): `hint`,
 * `frame`, `capture`, `error`, `statechange`.
 *
 * The loop analyses at most one frame at a time and never queues frames: a frame that arrives while
 * one is being analysed is dropped (requestVideoFrameCallback where there is one, else
 * requestAnimationFrame). Nothing is analysed while the page is hidden. stop() releases the camera.
 */
import { FaceError, toFaceError } from '../contract/errors.js';
import type { FaceLiveness } from '../contract/liveness.js';
import type { Face } from '../contract/result.js';
import type { FaceRecognizer } from '../browser/recognizer.js';
import { createCaptureJudge, LIVENESS_MODES, type CaptureJudge, type LivenessMode, type Verdict } from './judge.js';
import { DEFAULT_MESSAGES, type CaptureRules, type HintCode } from './rules.js';

/** `idle` (no camera), `starting`, `live` (analysing), `paused` (page hidden), `captured`, `error`. */
export type CaptureState = 'idle' | 'starting' | 'live' | 'paused' | 'captured' | 'error';

export interface FaceCaptureOptions {
  /** One from createFaceRecognizer; the controller never disposes it. */
  recognizer: FaceRecognizer;
  /** Where the camera plays. The element passes its own; headless, yours (it may stay off the page). */
  video?: HTMLVideoElement;
  /** `off`, `show` (default: scored and reported, never blocking) or `require` (only live frames are captured). */
  liveness?: LivenessMode;
  /** Capture by itself once `frames` consecutive fit frames were seen (default false). */
  autoCapture?: boolean;
  /** Consecutive fit frames before an auto-capture (default 3). */
  frames?: number;
  /** Which camera: `user` (default) or `environment`; `deviceId` wins when set. */
  facingMode?: 'user' | 'environment';
  deviceId?: string;
  /** Text of each hint code (default DEFAULT_MESSAGES, English). */
  messages?: Partial<Record<HintCode, string>>;
  /** Guidance thresholds (default CAPTURE_RULES). */
  rules?: CaptureRules;
}

/** `hint` event: the hint changed. */
export interface HintDetail {
  code: HintCode;
  message: string;
  /** The frame is fit to capture now. */
  ok: boolean;
}

/** `frame` event: one analysed frame (for drawing a box and landmarks over the preview). */
export interface FrameDetail {
  faces: Face[];
  liveness?: FaceLiveness[];
  width: number;
  height: number;
  code: HintCode;
  ok: boolean;
  /** Consecutive fit frames and the number an auto-capture wants. */
  streak: number;
  needed: number;
}

/** `capture` event. */
export interface CaptureDetail {
  /** The upright full frame, as JPEG. */
  blob: Blob;
  /** That frame's main face. */
  face: Face;
  /** Its liveness, unless liveness is `off`. */
  liveness?: FaceLiveness;
  width: number;
  height: number;
}

export interface FaceCapture extends EventTarget {
  readonly state: CaptureState;
  /** The last hint (undefined before the first analysed frame). */
  readonly hint: HintDetail | undefined;
  /** The camera's stream while it runs. */
  readonly stream: MediaStream | undefined;
  readonly video: HTMLVideoElement;
  /** Settings that may change at any time; a changed camera choice applies on the next start(). */
  liveness: LivenessMode;
  autoCapture: boolean;
  facingMode: 'user' | 'environment';
  deviceId: string | undefined;
  messages: Partial<Record<HintCode, string>>;
  /** Opens the camera and starts analysing. Rejects (and emits `error`) with a CAMERA_* FaceError. */
  start(): Promise<void>;
  /** Stops analysing and releases the camera. */
  stop(): void;
  /** Captures the best fit frame of the current window now; undefined when no frame is fit (under `require`: not live yet). */
  capture(): Promise<CaptureDetail | undefined>;
  /** Forgets the capture and starts again. */
  retake(): Promise<void>;
}

interface Held { bitmap: ImageBitmap; face: Face; liveness?: FaceLiveness }

type VideoWithFrameCallback = HTMLVideoElement & { requestVideoFrameCallback?(cb: () => void): number; cancelVideoFrameCallback?(h: number): void };

/** A getUserMedia failure as the SDK's camera error. */
export function cameraError(e: unknown): FaceError {
  if (e instanceof FaceError) return e;
  const name = (e as { name?: string } | undefined)?.name ?? '';
  const message = (e as Error | undefined)?.message || name || String(e);
  const cause = { cause: e };
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return new FaceError('CAMERA_DENIED', `camera access was refused: ${message}`, { name }, cause);
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return new FaceError('CAMERA_NOT_FOUND', `no camera found: ${message}`, { name }, cause);
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return new FaceError('CAMERA_IN_USE', `the camera could not be started: ${message}`, { name }, cause);
  return toFaceError(e);
}

export function createFaceCapture(options: FaceCaptureOptions): FaceCapture {
  if (!options?.recognizer) throw new FaceError('INVALID_OPTIONS', 'createFaceCapture needs a recognizer (createFaceRecognizer())');
  const fr = options.recognizer;
  const video = options.video ?? document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  const target = new EventTarget();
  let state: CaptureState = 'idle';
  let hint: HintDetail | undefined;
  let stream: MediaStream | undefined;
  let generation = 0;
  let handle = 0;
  let busy = false;
  let judge: CaptureJudge<Held> | undefined;

  const settings = {
    liveness: checkMode(options.liveness ?? 'show'),
    autoCapture: options.autoCapture ?? false,
    facingMode: options.facingMode ?? ('user' as 'user' | 'environment'),
    deviceId: options.deviceId as string | undefined,
    messages: options.messages ?? {},
  };

  const emit = (type: string, detail: unknown) => target.dispatchEvent(new CustomEvent(type, { detail }));
  const setState = (s: CaptureState) => {
    if (s === state) return;
    state = s;
    emit('statechange', { state: s });
  };
  const say = (code: HintCode, ok: boolean) => {
    const message = settings.messages[code] ?? DEFAULT_MESSAGES[code];
    if (hint && hint.code === code && hint.ok === ok && hint.message === message) return;
    hint = { code, message, ok };
    emit('hint', hint);
  };
  const release = (h: Held) => h.bitmap.close();
  const newJudge = () => {
    judge?.reset();
    judge = createCaptureJudge<Held>({ liveness: settings.liveness, frames: options.frames, rules: options.rules, auto: settings.autoCapture }, release);
  };

  const v = video as VideoWithFrameCallback;
  const schedule = (gen: number) => {
    if (gen !== generation) return;
    handle = v.requestVideoFrameCallback ? v.requestVideoFrameCallback(() => tick(gen)) : requestAnimationFrame(() => tick(gen));
  };
  const cancelSchedule = () => {
    if (v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(handle);
    else cancelAnimationFrame(handle);
  };
  const tick = (gen: number) => {
    schedule(gen);
    // Drop this frame: one is being analysed, the page is hidden, or the video has no frame yet.
    if (busy || state !== 'live' || document.hidden || video.readyState < 2 || !video.videoWidth) return;
    busy = true;
    void analyseOne(gen).finally(() => { busy = false; });
  };

  async function analyseOne(gen: number) {
    let bitmap: ImageBitmap | undefined;
    try {
      bitmap = await createImageBitmap(video);
      const r = await fr.analyzeDetailed(bitmap, { liveness: settings.liveness !== 'off' });
      if (gen !== generation || state !== 'live' || !judge) return bitmap.close();
      const frame = { faces: r.faces, liveness: r.liveness, width: bitmap.width, height: bitmap.height };
      const held: Held = { bitmap, face: r.faces[0]!, liveness: r.liveness?.[0] };
      bitmap = undefined; // the judge owns it now
      const verdict: Verdict<Held> = judge.push(held, frame);
      emit('frame', { ...frame, code: verdict.code, ok: verdict.ok, streak: verdict.streak, needed: verdict.needed } satisfies FrameDetail);
      say(verdict.code, verdict.ok);
      if (verdict.best) await finish(verdict.best, gen);
    } catch (e) {
      bitmap?.close();
      if (gen === generation && state === 'live') emit('error', toFaceError(e));
    }
  }

  /** The held frame becomes the capture: the camera is released, `capture` is emitted. */
  async function finish(held: Held, gen: number): Promise<CaptureDetail | undefined> {
    if (gen !== generation) {
      release(held);
      return undefined;
    }
    generation++;
    stopCamera();
    judge?.reset();
    try {
      const detail: CaptureDetail = { blob: await jpeg(held.bitmap), face: held.face, width: held.bitmap.width, height: held.bitmap.height };
      if (settings.liveness !== 'off' && held.liveness) detail.liveness = held.liveness;
      setState('captured');
      emit('capture', detail);
      return detail;
    } finally {
      release(held);
    }
  }

  function stopCamera() {
    cancelSchedule();
    stream?.getTracks().forEach((t) => {
      t.onended = null;
      t.stop();
    });
    stream = undefined;
    video.srcObject = null;
  }

  const onVisibility = () => {
    if (state === 'live' && document.hidden) {
      judge?.reset(); // the stream was interrupted: a window spans no gap
      setState('paused');
    } else if (state === 'paused' && !document.hidden) {
      setState('live');
    }
  };

  // Accessors copied as accessors (Object.assign would copy their values once).
  const methods = {
    get state() { return state; },
    get hint() { return hint; },
    get stream() { return stream; },
    video,
    get liveness() { return settings.liveness; },
    set liveness(m: LivenessMode) {
      settings.liveness = checkMode(m);
      if (judge) newJudge();
    },
    get autoCapture() { return settings.autoCapture; },
    set autoCapture(on: boolean) {
      settings.autoCapture = on;
      if (judge) newJudge();
    },
    get facingMode() { return settings.facingMode; },
    set facingMode(f: 'user' | 'environment') { settings.facingMode = f; },
    get deviceId() { return settings.deviceId; },
    set deviceId(id: string | undefined) { settings.deviceId = id || undefined; },
    get messages() { return settings.messages; },
    set messages(m: Partial<Record<HintCode, string>>) {
      settings.messages = m ?? {};
      if (hint) say(hint.code, hint.ok);
    },

    async start() {
      const gen = ++generation;
      stopCamera();
      setState('starting');
      let s: MediaStream;
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new FaceError('CAMERA_NOT_FOUND', 'this page has no camera access (it needs https or localhost)');
        const size = { width: { ideal: 640 }, height: { ideal: 480 } };
        s = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: settings.deviceId ? { deviceId: { exact: settings.deviceId }, ...size } : { facingMode: settings.facingMode, ...size },
        });
      } catch (e) {
        const err = cameraError(e);
        if (gen === generation) {
          setState('error');
          emit('error', err);
        }
        throw err;
      }
      if (gen !== generation) {
        s.getTracks().forEach((t) => t.stop());
        return;
      }
      stream = s;
      const track = s.getVideoTracks()[0];
      if (track) {
        track.onended = () => {
          if (stream !== s) return;
          generation++;
          stopCamera();
          judge?.reset();
          setState('error');
          emit('error', new FaceError('CAMERA_ENDED', 'the camera stopped (unplugged, turned off or its permission revoked)', { label: track.label }));
        };
      }
      video.srcObject = s;
      await video.play().catch(() => undefined); // a muted video may autoplay; play() only hurries it
      if (gen !== generation) return;
      newJudge();
      hint = undefined;
      setState(document.hidden ? 'paused' : 'live');
      document.addEventListener('visibilitychange', onVisibility);
      schedule(gen);
    },

    stop() {
      generation++;
      document.removeEventListener('visibilitychange', onVisibility);
      stopCamera();
      judge?.reset();
      judge = undefined;
      if (state !== 'captured') setState('idle');
    },

    async capture() {
      if (state !== 'live' || !judge) return undefined;
      const held = judge.take();
      return held ? finish(held, generation) : undefined;
    },

    async retake() {
      await controller.start();
    },
  };
  const controller = Object.defineProperties(target, Object.getOwnPropertyDescriptors(methods)) as EventTarget & typeof methods;
  return controller;
}

function checkMode(m: LivenessMode): LivenessMode {
  if (!(LIVENESS_MODES as readonly string[]).includes(m)) throw new FaceError('INVALID_OPTIONS', `liveness must be one of ${LIVENESS_MODES.join(', ')}, got ${String(m)}`);
  return m;
}

/** A bitmap as a JPEG (OffscreenCanvas where there is one, else a canvas element). */
async function jpeg(bitmap: ImageBitmap): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    c.getContext('2d')!.drawImage(bitmap, 0, 0);
    return c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  }
  const c = document.createElement('canvas');
  c.width = bitmap.width;
  c.height = bitmap.height;
  c.getContext('2d')!.drawImage(bitmap, 0, 0);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new FaceError('INTERNAL', 'the frame could not be encoded'))), 'image/jpeg', 0.92));
}
