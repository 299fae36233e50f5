/**
 * `<face-capture>`: the camera flow as a custom element, on the headless controller. Shadow DOM,
 * styled by CSS custom properties and ::part(), no global CSS. The class is made inside
 * defineFaceCapture, so importing this module in Node (or before the page has customElements) is safe.
 */
import { FaceError, toFaceError } from '../contract/errors.js';
import type { Face } from '../contract/result.js';
import { createFaceRecognizer, type FaceRecognizer } from '../browser/recognizer.js';
import { createFaceCapture, type CaptureDetail, type CaptureState, type FaceCapture, type FrameDetail, type HintDetail } from './controller.js';
import { LIVENESS_MODES, type LivenessMode } from './judge.js';
import type { HintCode } from './rules.js';

/** The element's public shape (what `document.createElement('face-capture')` gives). */
export interface FaceCaptureElement extends HTMLElement {
  /** The recognizer to use; without one the element makes its own on connect and disposes it on disconnect. */
  recognizer: FaceRecognizer | undefined;
  /** Text for each hint code (other languages); the rest stay DEFAULT_MESSAGES. */
  messages: Partial<Record<HintCode, string>>;
  readonly state: CaptureState;
  /** The headless controller inside (undefined until connected). */
  readonly controller: FaceCapture | undefined;
  start(): Promise<void>;
  stop(): void;
  capture(): Promise<CaptureDetail | undefined>;
  retake(): Promise<void>;
}

const STYLE = `
:host { display: inline-block; position: relative; width: var(--face-capture-width, 480px); max-width: 100%;
  font: var(--face-capture-font, 15px/1.4 system-ui, sans-serif); color: var(--face-capture-color, #111);
  --_ok: var(--face-capture-ok-color, #0a7d36); --_warn: var(--face-capture-warn-color, #b45309);
  --_accent: var(--face-capture-accent, #1d4ed8); --_radius: var(--face-capture-radius, 12px); }
:host([hidden]) { display: none; }
.frame { position: relative; aspect-ratio: 4 / 3; background: var(--face-capture-background, #1f2937); border-radius: var(--_radius); overflow: hidden; }
video, canvas, img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; }
:host([mirror]) video, :host([mirror]) canvas { transform: scaleX(-1); }
[hidden] { display: none !important; }
.badge { position: absolute; top: 8px; left: 8px; padding: 2px 8px; border-radius: 999px; background: #111827; color: #fff; font-size: 13px; }
.badge[data-live="true"] { background: var(--_ok); color: #fff; }
.badge[data-live="false"] { background: #b91c1c; color: #fff; }
.hint { margin: 8px 0; padding: 8px 12px; border-radius: 8px; min-height: 1.4em; background: var(--face-capture-hint-background, #f3f4f6); color: var(--face-capture-hint-color, #111827); border-left: 4px solid #6b7280; }
.hint[data-ok="true"] { border-left-color: var(--_ok); }
.hint[data-ok="false"] { border-left-color: var(--_warn); }
.controls { display: flex; gap: 8px; }
button { font: inherit; padding: 8px 16px; border-radius: 8px; border: 2px solid var(--_accent); background: var(--_accent); color: var(--face-capture-button-color, #fff); cursor: pointer; }
button:disabled { background: #e5e7eb; color: #374151; border-color: #6b7280; cursor: not-allowed; }
button:focus-visible { outline: 3px solid var(--face-capture-focus-color, #f59e0b); outline-offset: 2px; }
`;

const OBSERVED = ['liveness', 'auto-capture', 'facing-mode', 'device-id', 'mirror'] as const;

/**
 * Registers `<face-capture>` (or your tag name) once; returns its class. Safe to call twice with the
 * same name. Browser only.
 */
export function defineFaceCapture(tagName = 'face-capture'): CustomElementConstructor {
  const existing = customElements.get(tagName);
  if (existing) return existing;

  class FaceCaptureEl extends HTMLElement implements FaceCaptureElement {
    static get observedAttributes() { return [...OBSERVED]; }

    private ctl: FaceCapture | undefined;
    private own: Promise<FaceRecognizer> | undefined;
    private given: FaceRecognizer | undefined;
    private msgs: Partial<Record<HintCode, string>> = {};
    private stillUrl: string | undefined;
    private readonly ui: Record<'video' | 'overlay' | 'still' | 'badge' | 'hint' | 'startBtn' | 'captureBtn' | 'retakeBtn', HTMLElement>;

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${STYLE}</style>
<div class="frame" part="frame">
  <video part="video" muted playsinline aria-hidden="true"></video>
  <canvas part="overlay" aria-hidden="true"></canvas>
  <img part="still" alt="The captured photo" hidden>
  <span class="badge" part="badge" hidden></span>
</div>
<p class="hint" part="hint" role="status" aria-live="polite" aria-atomic="true"></p>
<div class="controls" part="controls">
  <button type="button" part="button start">Start camera</button>
  <button type="button" part="button capture" disabled hidden>Capture</button>
  <button type="button" part="button retake" hidden>Retake</button>
</div>`;
      const q = (s: string) => root.querySelector(s) as HTMLElement;
      const buttons = root.querySelectorAll('button');
      this.ui = {
        video: q('video'), overlay: q('canvas'), still: q('img'), badge: q('.badge'), hint: q('.hint'),
        startBtn: buttons[0]!, captureBtn: buttons[1]!, retakeBtn: buttons[2]!,
      };
      this.ui.startBtn.addEventListener('click', () => void this.start().catch(() => undefined));
      this.ui.captureBtn.addEventListener('click', () => void this.capture());
      this.ui.retakeBtn.addEventListener('click', () => void this.retake().catch(() => undefined));
    }

    get recognizer() { return this.given; }
    set recognizer(fr: FaceRecognizer | undefined) {
      if (fr === this.given) return;
      this.given = fr;
      if (this.ctl) {
        this.teardown();
        if (this.isConnected) this.setUp();
      }
    }
    get messages() { return this.msgs; }
    set messages(m: Partial<Record<HintCode, string>>) {
      this.msgs = m ?? {};
      if (this.ctl) this.ctl.messages = this.msgs;
    }
    get state(): CaptureState { return this.ctl?.state ?? 'idle'; }
    get controller() { return this.ctl; }

    private get livenessMode(): LivenessMode {
      const v = this.getAttribute('liveness') ?? 'show';
      return (LIVENESS_MODES as readonly string[]).includes(v) ? (v as LivenessMode) : 'show';
    }

    connectedCallback() {
      if (!this.ctl) this.setUp();
    }

    disconnectedCallback() {
      // Moved within the page: connectedCallback runs again at once. Gone: release everything.
      queueMicrotask(() => {
        if (!this.isConnected) this.teardown();
      });
    }

    attributeChangedCallback(name: string, old: string | null, value: string | null) {
      const c = this.ctl;
      if (!c || old === value) return;
      if (name === 'liveness') c.liveness = this.livenessMode;
      if (name === 'auto-capture') c.autoCapture = value !== null;
      if (name === 'facing-mode' || name === 'device-id') {
        c.facingMode = this.getAttribute('facing-mode') === 'environment' ? 'environment' : 'user';
        c.deviceId = this.getAttribute('device-id') ?? undefined;
        if (c.state === 'live' || c.state === 'paused') void this.start().catch(() => undefined);
      }
    }

    /** The recognizer to use: the one given, else our own (made once per connection). */
    private recognizerFor(): Promise<FaceRecognizer> {
      if (this.given) return Promise.resolve(this.given);
      this.own ??= createFaceRecognizer();
      return this.own;
    }

    private setUp() {
      const recognizer = this.given ?? lazyRecognizer(() => this.recognizerFor());
      const c = createFaceCapture({
        recognizer,
        video: this.ui.video as HTMLVideoElement,
        liveness: this.livenessMode,
        autoCapture: this.hasAttribute('auto-capture'),
        facingMode: this.getAttribute('facing-mode') === 'environment' ? 'environment' : 'user',
        deviceId: this.getAttribute('device-id') ?? undefined,
        messages: this.msgs,
      });
      this.ctl = c;
      if (!this.given) void this.recognizerFor().catch((e) => this.fire('error', toFaceError(e)));
      c.addEventListener('hint', (e) => this.onHint((e as CustomEvent<HintDetail>).detail));
      c.addEventListener('frame', (e) => this.onFrame((e as CustomEvent<FrameDetail>).detail));
      c.addEventListener('capture', (e) => this.onCapture((e as CustomEvent<CaptureDetail>).detail));
      c.addEventListener('error', (e) => {
        this.fire('error', (e as CustomEvent<FaceError>).detail);
        this.render();
      });
      c.addEventListener('statechange', (e) => {
        this.render();
        this.fire('statechange', (e as CustomEvent).detail);
      });
      this.render();
    }

    private teardown() {
      const c = this.ctl;
      this.ctl = undefined;
      c?.stop();
      const own = this.own;
      this.own = undefined;
      void own?.then((fr) => fr.dispose()).catch(() => undefined);
      this.showStill(undefined);
    }

    private fire(type: string, detail: unknown) {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    }

    async start() {
      if (!this.ctl) throw new FaceError('INVALID_OPTIONS', '<face-capture> must be on the page to start');
      this.showStill(undefined);
      await this.ctl.start();
    }

    stop() {
      this.ctl?.stop();
      this.clearOverlay();
    }

    async capture() {
      return this.ctl?.capture();
    }

    async retake() {
      await this.start();
    }

    private onHint(h: HintDetail) {
      const el = this.ui.hint;
      if (el.textContent !== h.message) el.textContent = h.message;
      el.dataset.code = h.code;
      el.dataset.ok = String(h.ok);
      this.fire('hint', h);
    }

    private onFrame(f: FrameDetail) {
      (this.ui.captureBtn as HTMLButtonElement).disabled = !f.ok;
      const badge = this.ui.badge;
      const l = f.liveness?.[0];
      badge.hidden = !l || this.livenessMode === 'off';
      if (l) {
        badge.textContent = `${l.live ? 'Live' : 'Print?'} ${l.score.toFixed(2)}`;
        badge.dataset.live = String(l.live);
      }
      drawFaces(this.ui.overlay as HTMLCanvasElement, f.faces, f, f.ok);
    }

    private onCapture(d: CaptureDetail) {
      this.clearOverlay();
      this.showStill(d.blob);
      this.fire('capture', d);
      this.ui.retakeBtn.focus();
    }

    private showStill(blob: Blob | undefined) {
      if (this.stillUrl) URL.revokeObjectURL(this.stillUrl);
      this.stillUrl = blob ? URL.createObjectURL(blob) : undefined;
      const img = this.ui.still as HTMLImageElement;
      if (this.stillUrl) img.src = this.stillUrl;
      else img.removeAttribute('src');
      img.hidden = !blob;
    }

    private clearOverlay() {
      const c = this.ui.overlay as HTMLCanvasElement;
      c.getContext('2d')?.clearRect(0, 0, c.width, c.height);
      this.ui.badge.hidden = true;
    }

    private render() {
      const s = this.state;
      const focused = this.shadowRoot!.activeElement;
      this.ui.startBtn.hidden = !(s === 'idle' || s === 'error');
      this.ui.captureBtn.hidden = !(s === 'live' || s === 'paused' || s === 'starting');
      if (s !== 'live') (this.ui.captureBtn as HTMLButtonElement).disabled = true;
      this.ui.retakeBtn.hidden = s !== 'captured';
      (this.ui.video as HTMLVideoElement).hidden = s === 'captured';
      this.ui.overlay.hidden = s === 'captured';
      this.setAttribute('data-state', s);
      // Keep keyboard focus inside when the focused button disappears.
      if (focused instanceof HTMLElement && focused.hidden) {
        const next = [this.ui.captureBtn, this.ui.retakeBtn, this.ui.startBtn].find((b) => !b.hidden);
        next?.focus();
      }
    }
  }

  customElements.define(tagName, FaceCaptureEl);
  return FaceCaptureEl;
}

/** A recognizer that is still loading, for the controller: each call waits for it. */
function lazyRecognizer(get: () => Promise<FaceRecognizer>): FaceRecognizer {
  return new Proxy({} as FaceRecognizer, {
    // Not a thenable: only the recognizer's methods are forwarded.
    get: (_t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : async (...args: unknown[]) => {
      const fr = await get();
      return (fr[key as keyof FaceRecognizer] as (...a: unknown[]) => unknown).apply(fr, args);
    }),
  });
}

/** The face box and landmarks over the preview, green when the frame is fit. */
function drawFaces(canvas: HTMLCanvasElement, faces: readonly Face[], size: { width: number; height: number }, ok: boolean) {
  if (canvas.width !== size.width || canvas.height !== size.height) {
    canvas.width = size.width;
    canvas.height = size.height;
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, canvas.width, canvas.height);
  faces.forEach((f, i) => {
    g.strokeStyle = i === 0 ? (ok ? '#22c55e' : '#f59e0b') : '#9ca3af';
    g.lineWidth = Math.max(2, size.width / 240);
    g.strokeRect(f.x1, f.y1, f.x2 - f.x1, f.y2 - f.y1);
    if (i === 0) {
      g.fillStyle = g.strokeStyle;
      for (const p of f.landmark_68) g.fillRect(p.x - 1.5, p.y - 1.5, 3, 3);
    }
  });
}
