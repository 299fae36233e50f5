/**
 * The face pipeline's orchestrator: detect → landmarks → align → attributes (→ embed for
 * comparisons), running the pure stages of pipeline/ on the onnxruntime sessions of runtime/. Runs
 * unchanged in a Web Worker and in Node. Every call returns its own result and its own stage
 * timings; the engine keeps no per-call state. Its ONNX sessions are not re-entrant
 * (onnxruntime#15735), so callers run one call at a time (engine/jobs.ts). Options arrive parsed
 * (engine/recognizer.ts parses them once per call).
 */
import { ALIGN_SIZE } from '../pipeline/align.js';
import { eyeClosedProbability, EYE_INPUT, mirrorEyeInput, prepareEyeInput } from '../pipeline/attributes/index.js';
import { decodeDetections, DEFAULT_DECODE, DETECT_INPUT, prepareDetectInput, rankFaces, type Detection } from '../pipeline/detect.js';
import { cosine, l2normalize } from '../pipeline/similarity.js';
import { FaceError, withImage } from '../contract/errors.js';
import type { RgbaImage } from '../pipeline/image.js';
import type { PreparedImage } from '../pipeline/prepared.js';
import type { CompareResult } from '../contract/result.js';
import type { AnalyzedFrame } from '../contract/types.js';
import { boxCrop, decodeLandmarks, LANDMARK_INPUT, prepareLandmarkInput, refineCrop, type CropGeometry, type Landmarks68 } from '../pipeline/landmarks.js';
import { STARTUP_MODEL_NAMES, type StartupModelName } from '../runtime/manifest.js';
import { fuseLiveness, LIVENESS_INPUT, livenessCues, livenessScore, prepareLivenessInput } from '../pipeline/liveness.js';
import { LIVENESS_THRESHOLD, type FaceLiveness, type LivenessResult } from '../contract/liveness.js';
import { initRuntime, Model, type ModelLoader, type ModelLoadTimings, type SessionOptions } from '../runtime/session.js';
import { CompareOptionsSchema, type AnalyzeSettings, type CompareSettings, type FaceSearchSettings, type LivenessSettings } from '../contract/options.js';
import { describeFace, sourceBox, type AnalyzedFace } from './describe.js';
import { checkQuality, scanOf } from './scan.js';
import { Stopwatch, zeroTimings, type StageTimings, type Timed } from './timing.js';

export type { AnalyzedFace } from './describe.js';

/** An image, or one still decoding: the engine counts the wait as `decode`. */
export type PendingImage = PreparedImage | Promise<PreparedImage>;

/** A comparison: the platform's scan, plus the raw cosine of the two embeddings. */
export interface Comparison {
  scan: CompareResult;
  cosine: number;
}

export interface EngineOptions extends SessionOptions {
  loader: ModelLoader;
  /** Start-up progress: before each model's session is created, and before the warm-up. */
  onStage?: (stage: 'compile' | 'warmup', model?: string) => void;
}

/** Which execution provider runs each model (e.g. { fr_feature: 'webgpu', fr_eye: 'wasm' }). */
export type BackendMap = Record<StartupModelName, string>;

const DEFAULT_COMPARE: CompareSettings = CompareOptionsSchema.parse({});

export class FaceEngine {
  /**
   * Start-up milliseconds: `compile` onnxruntime's wasm runtime (fetch, compile, instantiate; ~0 on
   * onnxruntime-node), `sessions` all four models (fetch, sha256, graph optimisation; `models` has
   * each one's split), `warmUp`.
   */
  readonly startup = { compile: 0, sessions: 0, warmUp: 0, models: {} as Record<string, ModelLoadTimings> };

  private constructor(
    private readonly models: Record<StartupModelName, Model>,
    private readonly sessionOptions: EngineOptions,
  ) {}

  /** fr_liveness, loaded on first use only: a plain compare never fetches it. */
  private livenessModel?: Promise<Model>;

  get backends(): BackendMap {
    return Object.fromEntries(STARTUP_MODEL_NAMES.map((n) => [n, this.models[n].executionProvider])) as BackendMap;
  }

  static async create(opts: EngineOptions): Promise<FaceEngine> {
    // One at a time: parallel session creation only contends for the same wasm thread.
    const sw = new Stopwatch();
    // The runtime first, on its own: its wasm compiles while the models download (the loader fetches them all at once).
    await initRuntime(opts.ort, opts.executionProviders?.('fr_eye') ?? ['wasm']);
    const compile = sw.lap();
    const models: Model[] = [];
    const loader: ModelLoader = async (info, name) => {
      const bytes = await opts.loader(info, name);
      opts.onStage?.('compile', info.file); // bytes in hand: the session is created next
      return bytes;
    };
    try {
      for (const n of STARTUP_MODEL_NAMES) models.push(await Model.load(n, loader, opts));
      const engine = new FaceEngine(Object.fromEntries(models.map((m) => [m.name, m])) as Record<StartupModelName, Model>, opts);
      engine.startup.compile = compile;
      engine.startup.sessions = sw.lap();
      for (const m of models) engine.startup.models[m.name] = m.loadTimings;
      opts.onStage?.('warmup');
      await engine.warmUp();
      engine.startup.warmUp = sw.lap();
      return engine;
    } catch (e) {
      // A model that failed (or a warm-up that did) must not leak the sessions already created:
      // the WebGPU attempt falls back to wasm in the same worker.
      await Promise.all(models.map((m) => m.release().catch(() => undefined)));
      throw e;
    }
  }

  /** One run per model on a blank input: the first real call then pays no kernel set-up. */
  private async warmUp(): Promise<void> {
    const blank = (n: number) => new Float32Array(n);
    await this.models.fr_detect.run(this.detectBuffer, [1, 3, DETECT_INPUT.height, DETECT_INPUT.width]);
    await this.models.fr_landmark.run(blank(LANDMARK_INPUT * LANDMARK_INPUT), [1, 1, LANDMARK_INPUT, LANDMARK_INPUT]);
    await this.models.fr_eye.run(blank(EYE_INPUT * EYE_INPUT), [1, 1, EYE_INPUT, EYE_INPUT]);
    await this.models.fr_feature.run(blank(3 * ALIGN_SIZE * ALIGN_SIZE), [1, 3, ALIGN_SIZE, ALIGN_SIZE]);
  }

  // Reused across calls (calls never overlap): the detector input is the largest per-call buffer (900 KB).
  private readonly detectBuffer = new Float32Array(3 * DETECT_INPUT.height * DETECT_INPUT.width);

  /** Faces in `img` (working pixels); `small` is its optional native downscale (PreparedImage.detectImage). */
  async detect(img: RgbaImage, minScore = DEFAULT_DECODE.minScore, small?: RgbaImage): Promise<Detection[]> {
    const input = prepareDetectInput(img, this.detectBuffer, small);
    const out = await this.models.fr_detect.run(input.tensor, [1, 3, DETECT_INPUT.height, DETECT_INPUT.width]);
    return decodeDetections(out.scores, out.boxes, input, img.width, img.height, { ...DEFAULT_DECODE, minScore });
  }

  /** 68 points: a square crop of the detector box, then a second pass re-cut upright from those points. */
  async landmarks(img: RgbaImage, box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>): Promise<Landmarks68> {
    const first = await this.landmarksInCrop(img, boxCrop(box));
    return this.landmarksInCrop(img, refineCrop(first));
  }

  /** One landmark-model run on one crop. */
  async landmarksInCrop(img: RgbaImage, g: CropGeometry): Promise<Landmarks68> {
    const crop = prepareLandmarkInput(img, g);
    const out = await this.models.fr_landmark.run(crop.tensor, [1, 1, LANDMARK_INPUT, LANDMARK_INPUT]);
    return decodeLandmarks(out.output, crop);
  }

  /** fr_eye on the eye crop and on its mirror image, averaged: the model is not symmetric (docs/attributes.md). */
  async eyeClosed(img: RgbaImage, pts: Landmarks68, eye: readonly number[]): Promise<number> {
    const crop = prepareEyeInput(img, pts, eye);
    const a = await this.models.fr_eye.run(crop, [1, 1, EYE_INPUT, EYE_INPUT]);
    const b = await this.models.fr_eye.run(mirrorEyeInput(crop), [1, 1, EYE_INPUT, EYE_INPUT]);
    return (eyeClosedProbability(a.output) + eyeClosedProbability(b.output)) / 2;
  }

  /** The 512-d L2-normalised embedding of an aligned face. */
  async embed(alignedTensor: Float32Array): Promise<Float32Array> {
    const out = await this.models.fr_feature.run(alignedTensor, [1, 3, ALIGN_SIZE, ALIGN_SIZE]);
    return l2normalize(Float32Array.from(out.output));
  }

  /** The liveness session, created on first use; a failed load is retried on the next call. */
  private livenessSession(): Promise<Model> {
    if (!this.livenessModel) {
      const p = Model.load('fr_liveness', this.sessionOptions.loader, this.sessionOptions);
      p.catch(() => { if (this.livenessModel === p) this.livenessModel = undefined; });
      this.livenessModel = p;
    }
    return this.livenessModel;
  }

  /** Live score in [0, 1] of the face in `box` (working pixels): fr_liveness on its wide crop, fused with the face's cues. */
  async livenessScore(img: RgbaImage, box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>): Promise<number> {
    const model = await this.livenessSession();
    const out = await model.run(prepareLivenessInput(img, box), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT]);
    return fuseLiveness(livenessScore(out.output), livenessCues(img, box));
  }

  /** Liveness of the main face (the face compareFaces would use); NO_FACE / MULTIPLE_FACES as analyze. */
  liveness(pending: PendingImage, opts: LivenessSettings = {}): Promise<Timed<LivenessResult>> {
    return oneImage(pending, async (input, timings, sw) => {
      const d = await this.mainDetection(input, opts);
      timings.detect += sw.lap();
      const score = await this.livenessScore(input.image, d);
      timings.liveness += sw.lap();
      const threshold = opts.livenessThreshold ?? LIVENESS_THRESHOLD;
      return { score, live: score >= threshold, threshold, box: sourceBox(d, input.toSource) };
    });
  }

  /**
   * Every face in the image, largest first. With `opts.liveness`, each face's liveness too, scored on
   * the same detection (`liveness` of each AnalyzedFace): a camera frame is detected once.
   */
  analyze(pending: PendingImage, opts: AnalyzeSettings = {}): Promise<Timed<AnalyzedFace[]>> {
    return oneImage(pending, async (input, timings, sw) => {
      const dets = await this.detect(input.image, opts.minScore, input.detectImage);
      timings.detect += sw.lap();
      const faces: AnalyzedFace[] = [];
      for (const det of dets.sort((p, q) => area(q) - area(p))) faces.push(await describeFace(this, input, det, timings, sw));
      if (opts.liveness) {
        const threshold = opts.livenessThreshold ?? LIVENESS_THRESHOLD;
        for (const f of faces) {
          const score = await this.livenessScore(input.image, f.box);
          f.liveness = { score, live: score >= threshold, threshold } satisfies FaceLiveness;
          timings.liveness += sw.lap();
        }
      }
      return faces;
    });
  }

  /** The subject of one image (rankFaces: central, then confidence-weighted largest); NO_FACE / MULTIPLE_FACES as asked. */
  mainFace(pending: PendingImage, opts: FaceSearchSettings = {}): Promise<Timed<AnalyzedFace>> {
    return oneImage(pending, (input, timings, sw) => this.describeMain(input, opts, timings, sw));
  }

  /** The embedding of the main face (512-d, L2-normalised). */
  faceEmbedding(pending: PendingImage, opts: FaceSearchSettings = {}): Promise<Timed<Float32Array>> {
    return oneImage(pending, async (input, timings, sw) => {
      const face = await this.describeMain(input, opts, timings, sw);
      const embedding = await this.embed(face.alignedTensor);
      timings.embed += sw.lap();
      return embedding;
    });
  }

  private async describeMain(input: PreparedImage, opts: FaceSearchSettings, timings: StageTimings, sw: Stopwatch): Promise<AnalyzedFace> {
    const det = await this.mainDetection(input, opts);
    timings.detect += sw.lap();
    return describeFace(this, input, det, timings, sw);
  }

  /** The main face's detection: rankFaces' first; NO_FACE, or MULTIPLE_FACES when asked to refuse several. */
  private async mainDetection(input: PreparedImage, opts: FaceSearchSettings): Promise<Detection> {
    const dets = rankFaces(await this.detect(input.image, opts.minScore, input.detectImage), input.image.width, input.image.height);
    if (dets.length === 0) throw new FaceError('NO_FACE', 'no face found in the image');
    if (dets.length > 1 && opts.rejectMultipleFaces) {
      throw new FaceError('MULTIPLE_FACES', `${dets.length} faces found and rejectMultipleFaces is set`, { faces: dets.length });
    }
    return dets[0];
  }

  /**
   * The platform's compare_face scan for two images, with the raw cosine. An image may still be
   * decoding (a promise): image 2 then decodes while image 1 runs through the models, and the time
   * spent waiting for it counts as `decode`. Errors name their image (details.image).
   */
  async compare(a: PendingImage, b: PendingImage, options: Partial<CompareSettings> = {}): Promise<Timed<Comparison>> {
    const opts: CompareSettings = { ...DEFAULT_COMPARE, ...options };
    const timings = zeroTimings();
    const faces: AnalyzedFace[] = [];
    for (const [i, pending] of [a, b].entries()) {
      const sw = new Stopwatch();
      let decoded = false;
      try {
        const img = await pending;
        decoded = true;
        timings.decode += sw.lap();
        const face = await this.describeMain(img, opts, timings, sw);
        faces.push(face);
        checkQuality(face, i + 1, opts);
        if (opts.liveness === 'both' || (opts.liveness === 'image2' && i === 1)) {
          const score = await this.livenessScore(img.image, face.box);
          timings.liveness += sw.lap();
          const threshold = opts.livenessThreshold ?? LIVENESS_THRESHOLD;
          if (score < threshold) {
            throw new FaceError('SPOOF_SUSPECTED', `face ${i + 1} looks like a printed photo or a screen (live score ${score.toFixed(3)}, below ${threshold})`, { score, threshold });
          }
        }
      } catch (e) {
        // An undecodable image 2 is reported before image 1's faces (as when both are decoded first),
        // image 1's own decode error before image 2's; either way image 2 is read to its end.
        if (i === 0 && decoded) await b;
        else if (i === 0) await Promise.resolve(b).catch(() => undefined);
        throw withImage(e, i + 1);
      }
    }
    const sw = new Stopwatch();
    const [e1, e2] = [await this.embed(faces[0].alignedTensor), await this.embed(faces[1].alignedTensor)];
    timings.embed = sw.lap();
    const cos = cosine(e1, e2);
    return { value: { scan: scanOf(faces[0], faces[1], cos, opts), cosine: cos }, timings };
  }

  async dispose(): Promise<void> {
    const lazy = this.livenessModel?.catch(() => undefined);
    this.livenessModel = undefined;
    await Promise.all([...Object.values(this.models).map((m) => m.release()), lazy?.then((m) => m?.release())]);
  }
}

/** An analysis as a recognizer returns it: the platform's faces, and their liveness when it was asked for (then always a list). */
export function analyzedFrame(faces: readonly AnalyzedFace[], opts: AnalyzeSettings): AnalyzedFrame {
  const frame: AnalyzedFrame = { faces: faces.map((f) => f.face) };
  if (opts.liveness) frame.liveness = faces.map((f) => f.liveness!);
  return frame;
}

const area = (d: Detection) => (d.x2 - d.x1) * (d.y2 - d.y1);

/**
 * One image's call: waits for the image (the wait is `decode`), runs `body` with fresh timings and
 * a stopwatch, and tags any error with image 1.
 */
async function oneImage<T>(pending: PendingImage, body: (input: PreparedImage, timings: StageTimings, sw: Stopwatch) => Promise<T>): Promise<Timed<T>> {
  const timings = zeroTimings();
  const sw = new Stopwatch();
  try {
    const input = await pending;
    timings.decode += sw.lap();
    return { value: await body(input, timings, sw), timings };
  } catch (e) {
    throw withImage(e, 1);
  }
}
