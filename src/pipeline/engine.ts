/**
 * The face pipeline: detect → landmarks → align → attributes (→ embed for comparisons), over RGBA
 * buffers. Runs unchanged in a Web Worker, on the main thread and in Node. Every call returns its
 * own result and its own stage timings; the engine keeps no per-call state. Its ONNX sessions are
 * not re-entrant (onnxruntime#15735), so callers run one call at a time (runtime/queue.ts).
 */
import { alignFace, ALIGN_SIZE } from './align.js';
import {
  alignedLuma, eyeClosedProbability, eyeDistance, EYE_INPUT, faceCellMask, faceLuminance, faceOcclusion, faceQuality,
  headPose, mirrorEyeInput, mouthOpened, occlusionInput, prepareEyeInput, sharpness,
} from './attributes/index.js';
import { calibratedSimilarity, PLATFORM_THRESHOLD } from '../contract/calibration.js';
import { decodeDetections, DEFAULT_DECODE, DETECT_INPUT, prepareDetectInput, rankFaces, type Detection } from './detect.js';
import { cosine, l2normalize } from './similarity.js';
import { FaceError, formatIssues, withImage } from '../contract/errors.js';
import { WORKING_MAX_SIDE } from '../contract/limits.js';
import { downscaleToFit, type RgbaImage } from './image.js';
import {
  boxCrop, decodeLandmarks, fivePoints, LANDMARK_INPUT, LEFT_EYE, prepareLandmarkInput, refineCrop, RIGHT_EYE, type CropGeometry, type Landmarks68,
} from './landmarks.js';
import { MODEL_NAMES, type ModelName } from '../runtime/manifest.js';
import { fuseLiveness, LIVENESS_INPUT, livenessCues, livenessScore, prepareLivenessInput } from './liveness.js';
import { LIVENESS_THRESHOLD, type LivenessResult } from '../contract/liveness.js';
import { initRuntime, Model, type ModelLoader, type ModelLoadTimings, type SessionOptions } from '../runtime/session.js';
import {
  parseOptions, AnalyzeOptionsSchema, CompareOptionsSchema, LivenessOptionsSchema, type AnalyzeOptions, type CompareOptions, type LivenessOptions,
} from '../contract/options.js';
import { CompareResultSchema, type CompareResult, type Face } from '../contract/result.js';
import { Stopwatch, zeroTimings, type StageTimings, type Timed } from '../runtime/timing.js';

/** One analysed face: the platform's per-face object plus what a comparison needs. */
export interface AnalyzedFace {
  face: Face;
  score: number;
  /** Aligned-crop tensor (embedder input), kept so the embedding runs only when asked. */
  alignedTensor: Float32Array;
  /** Detector box in working pixels (the liveness crop is cut around it). */
  box: Detection;
}

/** An image ready for the pipeline plus the factor from its pixels back to the caller's. */
export interface PreparedImage {
  image: RgbaImage;
  /** Source pixels per working pixel (≥ 1 when the image was downscaled). */
  toSource: number;
  /**
   * The same picture at `detectContentSize(image)`, shrunk by a native scaler (the browser's
   * decoder makes it for large images): the detector reads it instead of warping `image` in JS.
   */
  detectImage?: RgbaImage;
}

export function prepareImage(img: RgbaImage, toSource = 1): PreparedImage {
  const { image, scale } = downscaleToFit(img, WORKING_MAX_SIDE);
  return { image, toSource: toSource / scale };
}

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
export type BackendMap = Record<ModelName, string>;

export class FaceEngine {
  /**
   * Start-up milliseconds: `compile` onnxruntime's wasm runtime (fetch, compile, instantiate; ~0 on
   * onnxruntime-node), `sessions` all four models (fetch, sha256, graph optimisation; `models` has
   * each one's split), `warmUp`.
   */
  readonly startup = { compile: 0, sessions: 0, warmUp: 0, models: {} as Record<string, ModelLoadTimings> };

  private constructor(
    private readonly models: Record<ModelName, Model>,
    private readonly sessionOptions: EngineOptions,
  ) {}

  /** fr_liveness, loaded on first use only: a plain compare never fetches it. */
  private livenessModel?: Promise<Model>;

  get backends(): BackendMap {
    return Object.fromEntries(MODEL_NAMES.map((n) => [n, this.models[n].executionProvider])) as BackendMap;
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
      for (const n of MODEL_NAMES) models.push(await Model.load(n, loader, opts));
      const engine = new FaceEngine(Object.fromEntries(models.map((m) => [m.name, m])) as Record<ModelName, Model>, opts);
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
  async liveness(input: PreparedImage, options: LivenessOptions = {}): Promise<Timed<LivenessResult>> {
    const opts = parseOptions(LivenessOptionsSchema, options);
    const timings = zeroTimings();
    const sw = new Stopwatch();
    const d = await this.mainDetection(input, opts);
    timings.detect = sw.lap();
    const score = await this.livenessScore(input.image, d);
    timings.liveness = sw.lap();
    const threshold = opts.threshold ?? LIVENESS_THRESHOLD;
    return { value: { score, live: score >= threshold, threshold, box: sourceBox(d, input.toSource) }, timings };
  }

  /** Every face in the image, largest first. */
  async analyze(input: PreparedImage, options: AnalyzeOptions = {}): Promise<Timed<AnalyzedFace[]>> {
    const opts = parseOptions(AnalyzeOptionsSchema, options);
    const timings = zeroTimings();
    const sw = new Stopwatch();
    const dets = await this.detect(input.image, opts.minScore, input.detectImage);
    timings.detect = sw.lap();
    const faces: AnalyzedFace[] = [];
    for (const det of dets.sort((p, q) => area(q) - area(p))) faces.push(await this.describe(input, det, timings, sw));
    return { value: faces, timings };
  }

  /** The subject of one image (rankFaces: central, then confidence-weighted largest); NO_FACE / MULTIPLE_FACES as asked. */
  async mainFace(input: PreparedImage, options: AnalyzeOptions = {}): Promise<Timed<AnalyzedFace>> {
    const opts = parseOptions(AnalyzeOptionsSchema, options);
    const timings = zeroTimings();
    const sw = new Stopwatch();
    const det = await this.mainDetection(input, opts);
    timings.detect = sw.lap();
    return { value: await this.describe(input, det, timings, sw), timings };
  }

  /** The main face's detection: rankFaces' first; NO_FACE, or MULTIPLE_FACES when asked to refuse several. */
  private async mainDetection(input: PreparedImage, opts: { minScore?: number; rejectMultipleFaces?: boolean }): Promise<Detection> {
    const dets = rankFaces(await this.detect(input.image, opts.minScore, input.detectImage), input.image.width, input.image.height);
    if (dets.length === 0) throw new FaceError('NO_FACE', 'no face found in the image');
    if (dets.length > 1 && opts.rejectMultipleFaces) {
      throw new FaceError('MULTIPLE_FACES', `${dets.length} faces found and rejectMultipleFaces is set`, { faces: dets.length });
    }
    return dets[0];
  }

  /**
   * The platform's compare_face scan for two prepared images, with the raw cosine. An image may
   * still be decoding (a promise): image 2 then decodes while image 1 runs through the models, and
   * the time spent waiting for it counts as `decode`.
   */
  async compare(a: PreparedImage | Promise<PreparedImage>, b: PreparedImage | Promise<PreparedImage>, options: CompareOptions = {}): Promise<Timed<Comparison>> {
    const opts = parseOptions(CompareOptionsSchema, options);
    const timings = zeroTimings();
    const faces: AnalyzedFace[] = [];
    for (const [i, pending] of [a, b].entries()) {
      let one: Timed<AnalyzedFace>;
      let img: PreparedImage;
      try {
        const wait = new Stopwatch();
        img = await pending;
        timings.decode += wait.lap();
        one = await this.mainFace(img, { minScore: opts.minScore, rejectMultipleFaces: opts.rejectMultipleFaces });
      } catch (e) {
        // An undecodable image 2 is reported before image 1's faces, as when both are decoded first (Node).
        if (i === 0) await b;
        throw withImage(e, i + 1);
      }
      addTimings(timings, one.timings);
      faces.push(one.value);
      const quality = one.value.face.face_quality;
      if (opts.minQuality !== undefined && quality < opts.minQuality) {
        throw new FaceError('LOW_QUALITY', `face ${i + 1} has quality ${quality.toFixed(2)}, below minQuality ${opts.minQuality}`, {
          image: i + 1, quality, minQuality: opts.minQuality,
        });
      }
      if (opts.liveness === 'both' || (opts.liveness === 'image2' && i === 1)) {
        const lsw = new Stopwatch();
        const score = await this.livenessScore(img.image, one.value.box);
        timings.liveness += lsw.lap();
        const threshold = opts.livenessThreshold ?? LIVENESS_THRESHOLD;
        if (score < threshold) {
          throw new FaceError('SPOOF_SUSPECTED', `face ${i + 1} looks like a printed photo (live score ${score.toFixed(3)}, below ${threshold})`, {
            image: i + 1, score, threshold,
          });
        }
      }
    }
    const sw = new Stopwatch();
    const [e1, e2] = [await this.embed(faces[0].alignedTensor), await this.embed(faces[1].alignedTensor)];
    timings.embed = sw.lap();
    const cos = cosine(e1, e2);
    const similarity = calibratedSimilarity(cos);
    const scan: CompareResult = {
      id: crypto.randomUUID(),
      created: new Date().toISOString(),
      channel: opts.channel,
      reference: opts.reference,
      compare_result: similarity >= (opts.threshold ?? PLATFORM_THRESHOLD) ? 'Same person' : 'Different person',
      compare_similarity: similarity,
      face1: faces[0].face,
      face2: faces[1].face,
    };
    // Never a silent wrong answer (a NaN attribute, say): a scan that fails the contract is an INTERNAL FaceError.
    const checked = CompareResultSchema.safeParse(scan);
    if (!checked.success) throw new FaceError('INTERNAL', `the scan fails the compare_face schema: ${formatIssues(checked.error.issues, 'scan')}`);
    return { value: { scan: checked.data, cosine: cos }, timings };
  }

  /** The platform's per-face object (docs/attributes.md). Pixel values are in source pixels. */
  private async describe(input: PreparedImage, det: Detection, timings: StageTimings, sw: Stopwatch): Promise<AnalyzedFace> {
    const img = input.image;
    const pts = await this.landmarks(img, det);
    timings.landmarks += sw.lap();
    const { tensor, srcToCrop } = alignFace(img, fivePoints(pts));
    timings.align += sw.lap();
    const [rightClosed, leftClosed] = [await this.eyeClosed(img, pts, RIGHT_EYE), await this.eyeClosed(img, pts, LEFT_EYE)];
    const { yaw, pitch, roll } = headPose(pts);
    const luminance = faceLuminance(img, pts);
    const occlusion = faceOcclusion(occlusionInput(img, srcToCrop), faceCellMask(pts, srcToCrop));
    const k = input.toSource;
    // Quality judges the face as the embedder gets it: eye distance in working pixels, not source pixels.
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

  async dispose(): Promise<void> {
    const lazy = this.livenessModel?.catch(() => undefined);
    this.livenessModel = undefined;
    await Promise.all([...Object.values(this.models).map((m) => m.release()), lazy?.then((m) => m?.release())]);
  }
}

const area = (d: Detection) => (d.x2 - d.x1) * (d.y2 - d.y1);

/** A working-pixel box in the caller's pixels, rounded to the platform's integers. */
const sourceBox = (d: Detection, k: number) => ({ x1: Math.round(d.x1 * k), y1: Math.round(d.y1 * k), x2: Math.round(d.x2 * k), y2: Math.round(d.y2 * k) });

function addTimings(into: StageTimings, from: StageTimings): void {
  for (const k of Object.keys(into) as (keyof StageTimings)[]) into[k] += from[k];
}
