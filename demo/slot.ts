/**
 * One face to compare: taken from the camera (live guidance, capture when fit) or from a file
 * (picker or drag-and-drop), shown with its box and landmarks, retaken at will.
 */
import { createLivenessGate, type Face, type FaceRecognizer, type LivenessGateDecision } from 'face-compare-sdk';
import type { Camera } from './camera.js';
import type { LivenessMode } from './config.js';
import { guide, type Hint } from './guidance.js';
import { startLiveAnalysis, type AnalysedFrame, type LiveLoop } from './live.js';
import { COLORS, drawOverlay, drawStill } from './overlay.js';

export type SlotMode = 'empty' | 'live' | 'still';

export interface SlotHost {
  readonly recognizer: FaceRecognizer | undefined;
  readonly camera: Camera;
  /** Device chosen in the picker, if any. */
  deviceId(): string | undefined;
  /** Liveness marks ('show'), and a live gate on face 2's capture ('require'). */
  readonly liveness: LivenessMode;
  /** The camera was opened for this slot (the host releases it from the other one). */
  cameraStarted(slot: CaptureSlot): void;
  /** The slot's image changed (set or cleared). */
  changed(slot: CaptureSlot, how: 'captured' | 'file' | 'cleared'): void;
}

export class CaptureSlot {
  /** What compareFaces receives: the file as is, or the captured frame's pixels. */
  source: Blob | ImageBitmap | undefined;
  /** Decoded pixels of the source, for drawing. */
  image: ImageBitmap | undefined;
  mode: SlotMode = 'empty';
  private latest: AnalysedFrame | undefined;
  private loop: LiveLoop | undefined;
  private origin: 'camera' | 'file' | undefined;
  /** Bumped by every start, stop and new image, so a camera start that was overtaken while awaiting gives up. */
  private generation = 0;
  private readonly el: Record<'root' | 'badge' | 'video' | 'overlay' | 'still' | 'hint' | 'camera' | 'capture' | 'retake' | 'file' | 'liveness', HTMLElement>;
  /** Consecutive live frames of the camera (the SDK's gate); reset by every camera start. */
  private readonly gate = createLivenessGate();
  /** Each analysed frame's live score (null: no face, or liveness off), read when the frame is shown. */
  private readonly frameScores = new WeakMap<ImageBitmap, number | null>();

  constructor(readonly root: HTMLElement, readonly index: 1 | 2, private readonly host: SlotHost) {
    const q = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T;
    this.el = {
      root, badge: q('.slot-badge'), video: q('video'), overlay: q('.overlay'), still: q('.still'), hint: q('.hint'),
      camera: q('.camera'), capture: q('.capture'), retake: q('.retake'), file: q('input[type=file]'), liveness: q('.liveness'),
    };
    const name = `face ${index}`;
    root.id = `slot${index}`;
    q('.slot-title').textContent = `Face ${index}`;
    q('.slot-title').id = `slot${index}-title`;
    root.setAttribute('aria-labelledby', `slot${index}-title`);
    for (const k of ['camera', 'capture', 'retake'] as const) {
      this.el[k].id = `${k}${index}`;
      this.el[k].setAttribute('aria-label', `${this.el[k].textContent} for ${name}`);
    }
    this.el.file.id = `file${index}`;
    this.el.file.setAttribute('aria-label', `Upload a photo for ${name}`);
    q<HTMLLabelElement>('label.upload').htmlFor = `file${index}`;
    this.el.video.setAttribute('aria-label', `Camera preview for ${name}`);
    this.el.still.setAttribute('aria-label', `Image for ${name}, with the detected face marked`);

    this.el.camera.addEventListener('click', () => void this.startCamera());
    this.el.capture.addEventListener('click', () => this.capture());
    this.el.retake.addEventListener('click', () => (this.origin === 'camera' ? void this.startCamera() : this.clear()));
    const input = this.el.file as HTMLInputElement;
    input.addEventListener('change', () => {
      const f = input.files?.[0];
      input.value = ''; // choosing the same file again must fire 'change' again
      if (f) void this.setFile(f);
    });
    this.acceptDrops();
    this.render();
  }

  get live(): boolean { return this.mode === 'live'; }

  /** Face 2 is the live capture: with ?liveness=require it is captured only once the gate says live. */
  private get livenessRequired(): boolean { return this.host.liveness === 'require' && this.index === 2; }

  /** Enables or disables the slot's controls (models loading, comparison running). */
  setEnabled(on: boolean): void {
    for (const k of ['camera', 'retake', 'file'] as const) (this.el[k] as HTMLButtonElement | HTMLInputElement).disabled = !on;
    this.root.classList.toggle('disabled', !on);
    if (!on) (this.el.capture as HTMLButtonElement).disabled = true;
  }

  async startCamera(): Promise<void> {
    const fr = this.host.recognizer;
    if (!fr) return;
    const gen = ++this.generation;
    this.stopLoop();
    this.say('Starting the camera…', 'info');
    let stream: MediaStream;
    try {
      stream = await this.host.camera.open(this.host.deviceId());
    } catch (e) {
      if (gen === this.generation) this.say(`Camera unavailable: ${(e as Error).message || (e as Error).name}`, 'warn');
      return;
    }
    if (gen !== this.generation) return;
    this.host.cameraStarted(this);
    const video = this.el.video as HTMLVideoElement;
    if (video.srcObject !== stream) video.srcObject = stream;
    await video.play().catch(() => undefined); // autoplay of a muted video is allowed; play() only hurries it
    if (gen !== this.generation) return;
    const had = this.source !== undefined;
    this.setSource(undefined, undefined);
    this.mode = 'live'; // before telling the host, which stops the camera when no slot is live
    this.root.classList.toggle('mirror', this.host.camera.facingUser);
    this.say('Looking for a face…', 'info');
    this.render();
    if (had) this.host.changed(this, 'cleared');
    this.gate.reset();
    this.loop = startLiveAnalysis(
      video,
      async (frame) => {
        const faces = await fr.analyze(frame);
        // The liveness model is fetched on the first frame with a face, never with ?liveness=off.
        const score = this.host.liveness !== 'off' && faces.length ? (await fr.liveness(frame).catch(() => undefined))?.score ?? null : null;
        this.frameScores.set(frame, score);
        return faces;
      },
      (frame) => this.onFrame(frame),
      (e) => this.say(`Analysis failed: ${(e as Error).message}`, 'warn'),
    );
  }

  /** Stops the live view; the slot goes back to empty. */
  stopCamera(): void {
    this.generation++;
    if (this.mode !== 'live') return;
    this.stopLoop();
    (this.el.video as HTMLVideoElement).srcObject = null;
    this.mode = 'empty';
    this.markLiveness(undefined);
    this.say('', 'info');
    this.render();
  }

  async setFile(file: File): Promise<void> {
    const fr = this.host.recognizer;
    if (!fr) return;
    if (file.type && !file.type.startsWith('image/')) return this.say(`“${file.name}” is not an image`, 'warn');
    const wasLive = this.mode === 'live';
    this.generation++;
    this.stopLoop();
    if (wasLive) (this.el.video as HTMLVideoElement).srcObject = null;
    let image: ImageBitmap;
    try {
      image = await createImageBitmap(file);
    } catch {
      this.say(`“${file.name}” could not be decoded`, 'warn');
      this.mode = 'empty';
      this.setSource(undefined, undefined);
      this.render();
      return this.host.changed(this, 'cleared');
    }
    this.origin = 'file';
    this.setSource(file, image);
    this.showStill([], false);
    this.host.changed(this, 'file');
    this.say('Looking for a face…', 'info');
    try {
      const faces = await fr.analyze(file);
      if (this.source !== file) return; // replaced meanwhile
      const h = guide(faces, image);
      this.showStill(faces, false);
      this.sayHint(h, h.photo);
      // Photos are scored too: a print photographed or scanned is marked, never silently accepted.
      if (this.host.liveness !== 'off' && faces.length) {
        const r = await fr.liveness(file).catch(() => undefined);
        if (this.source === file && r) this.markLiveness({ state: r.live ? 'live' : 'print', streak: 0, needed: 0, score: r.score });
      }
    } catch (e) {
      if (this.source === file) this.say(`Could not analyse this photo: ${(e as Error).message}`, 'warn');
    }
  }

  clear(): void {
    this.stopCamera();
    this.setSource(undefined, undefined);
    this.origin = undefined;
    this.mode = 'empty';
    this.say('', 'info');
    this.render();
    this.host.changed(this, 'cleared');
  }

  private onFrame(frame: AnalysedFrame): void {
    this.latest?.bitmap.close();
    this.latest = frame;
    const h = guide(frame.faces, frame.bitmap);
    drawOverlay(this.el.overlay as HTMLCanvasElement, frame.faces, frame.bitmap, h.ok ? COLORS.ok : COLORS.warn);
    this.root.dataset.faces = String(frame.faces.length);
    const liveness = this.host.liveness === 'off' ? undefined : this.gate.push(this.frameScores.get(frame.bitmap) ?? null);
    if (liveness) this.markLiveness(liveness);
    const gated = this.livenessRequired && liveness?.state !== 'live';
    (this.el.capture as HTMLButtonElement).disabled = !h.ok || gated;
    if (h.ok && gated && liveness) {
      this.root.dataset.hint = `liveness-${liveness.state}`;
      this.say(liveness.state === 'print' ? 'This looks like a printed photo: a live face is needed' : `Checking it is a live face… (${liveness.streak}/${liveness.needed})`, 'warn');
    } else {
      this.sayHint(h, h.live);
    }
  }

  /** The live / print mark over the camera or the photo, with the score. */
  private markLiveness(d: LivenessGateDecision | undefined): void {
    const el = this.el.liveness;
    if (!d || d.state === 'no-face') {
      el.hidden = true;
      delete this.root.dataset.liveness;
      return;
    }
    const score = d.score === undefined ? '' : ` ${d.score.toFixed(2)}`;
    el.textContent = d.state === 'live' ? `Live${score}` : d.state === 'print' ? `Print?${score}` : `Checking ${d.streak}/${d.needed}${score}`;
    el.dataset.state = d.state;
    el.title = 'Live score (1 = a live person, 0 = a printed photo); docs/liveness.md';
    el.hidden = false;
    this.root.dataset.liveness = d.state;
  }

  /** Keeps the analysed frame that was judged fit: what you capture is what was checked. */
  private capture(): void {
    const frame = this.latest;
    if (!frame || !guide(frame.faces, frame.bitmap).ok) return;
    if (this.livenessRequired && this.gate.decision.state !== 'live') return;
    this.latest = undefined; // now owned by the slot as its source
    this.generation++;
    this.stopLoop();
    (this.el.video as HTMLVideoElement).srcObject = null;
    this.origin = 'camera';
    this.setSource(frame.bitmap, frame.bitmap);
    this.showStill(frame.faces, this.host.camera.facingUser);
    this.say('Captured', 'ok');
    this.el.retake.focus(); // the capture button disappears; keep keyboard focus in the slot
    this.host.changed(this, 'captured');
  }

  private showStill(faces: Face[], mirrored: boolean): void {
    this.mode = 'still';
    this.root.classList.toggle('mirror', mirrored);
    drawStill(this.el.still as HTMLCanvasElement, this.image!, faces);
    this.root.dataset.faces = String(faces.length);
    this.render();
  }

  private setSource(source: Blob | ImageBitmap | undefined, image: ImageBitmap | undefined): void {
    if (this.image && this.image !== image) this.image.close();
    // A capture keeps the mark of the frame it was judged on; a new file or a cleared slot has none yet.
    if (!(source !== undefined && source === image)) this.markLiveness(undefined);
    this.source = source;
    this.image = image;
    // What the slot holds, for integrators' scripts and tests: a file name, 'camera', or nothing.
    if (source) this.root.dataset.source = source instanceof File ? source.name : 'camera';
    else delete this.root.dataset.source;
  }

  private stopLoop(): void {
    this.loop?.stop();
    this.loop = undefined;
    this.latest?.bitmap.close();
    this.latest = undefined;
    const overlay = this.el.overlay as HTMLCanvasElement;
    overlay.getContext('2d')?.clearRect(0, 0, overlay.width, overlay.height);
  }

  private sayHint(h: Hint, text: string): void {
    this.root.dataset.hint = h.code;
    this.say(text, h.ok ? 'ok' : 'warn');
  }

  /** Updates the hint only when it changes, so screen readers hear each hint once, not per frame. */
  private say(text: string, tone: 'ok' | 'warn' | 'info'): void {
    const hint = this.el.hint;
    if (hint.textContent !== text) hint.textContent = text;
    hint.dataset.tone = tone;
    if (tone === 'info') delete this.root.dataset.hint;
  }

  private render(): void {
    const { mode } = this;
    this.root.dataset.mode = mode;
    this.el.badge.textContent = mode === 'live' ? 'Camera on' : mode === 'still' ? (this.origin === 'camera' ? 'Captured' : 'Photo') : 'Empty';
    this.el.camera.hidden = mode !== 'empty';
    this.el.capture.hidden = mode !== 'live';
    this.el.retake.hidden = mode !== 'still';
    this.el.retake.textContent = this.origin === 'camera' ? 'Retake' : 'Remove';
    this.el.retake.setAttribute('aria-label', `${this.el.retake.textContent} for face ${this.index}`);
    if (mode !== 'live') (this.el.capture as HTMLButtonElement).disabled = true;
  }

  private acceptDrops(): void {
    const root = this.root;
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      root.classList.add('drop-target');
    };
    root.addEventListener('dragenter', over);
    root.addEventListener('dragover', over);
    root.addEventListener('dragleave', (e) => {
      if (!root.contains(e.relatedTarget as Node | null)) root.classList.remove('drop-target');
    });
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      root.classList.remove('drop-target');
      const f = e.dataTransfer?.files[0];
      if (f && !root.classList.contains('disabled')) void this.setFile(f);
    });
  }
}
