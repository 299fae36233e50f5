/**
 * The face pipeline: detect → landmarks → align → attributes (→ embed for comparisons), over RGBA
 * buffers. Runs unchanged in a Web Worker, on the main thread and in Node.
 */
import { alignFace, ALIGN_SIZE } from './align.js';
import {
  alignedLuma, eyeClosedProbability, eyeDistance, EYE_INPUT, faceCellMask, faceLuminance, faceOcclusion, faceQuality,
  headPose, mirrorEyeInput, mouthOpened, occlusionInput, prepareEyeInput, sharpness,
} from './attributes.js';
import { calibratedSimilarity, PLATFORM_THRESHOLD } from './calibration.js';
import { decodeDetections, DEFAULT_DECODE, DETECT_INPUT, prepareDetectInput, rankFaces, type Detection } from './detect.js';
import { cosine, l2normalize } from './embed.js';
import { FaceError, withImage } from './errors.js';
import { downscaleToFit, type RgbaImage } from './image.js';
import {
  boxCrop, decodeLandmarks, fivePoints, LANDMARK_INPUT, LEFT_EYE, prepareLandmarkInput, refineCrop, RIGHT_EYE, type CropGeometry, type Landmarks68,
} from './landmarks.js';
import { MODEL_NAMES, type ModelName } from './manifest.js';
import { Model, type ModelLoader, type SessionOptions } from './models.js';
import { parseOptions } from './options.js';
import {
  AnalyzeOptionsSchema, CompareOptionsSchema, CompareResultSchema,
  type AnalyzeOptions, type CompareOptions, type CompareResult, type Face,
} from './schema.js';
import { FIRST_STAGE_TIMINGS, Stopwatch, type StageTimings } from './timing.js';

/** Largest side the pipeline works at; bigger decoded images are area-downscaled first. */
export const WORKING_MAX_SIDE = 2048;

/** One analysed face: the platform's per-face object plus what a comparison needs. */
export interface AnalyzedFace {
  face: Face;
  score: number;
  /** Aligned-crop tensor (embedder input), kept so the embedding runs only when asked. */
  alignedTensor: Float32Array;
}

/** An image ready for the pipeline plus the factor from its pixels back to the caller's. */
export interface PreparedImage {
  image: RgbaImage;
  /** Source pixels per working pixel (≥ 1 when the image was downscaled). */
  toSource: number;
}

export function prepareImage(img: RgbaImage, toSource = 1): PreparedImage {
  const { image, scale } = downscaleToFit(img, WORKING_MAX_SIDE);
  return { image, toSource: toSource / scale };
}

export interface EngineOptions extends SessionOptions {
  loader: ModelLoader;
}

/** Which execution provider runs each model (e.g. { fr_feature: 'webgpu', fr_eye: 'wasm' }). */
export type BackendMap = Record<ModelName, string>;

export class FaceEngine {
  /** Per-stage milliseconds of the last call. */
  timings: StageTimings = { ...FIRST_STAGE_TIMINGS };
  /** Milliseconds spent creating the sessions (fetch, sha256, graph optimisation) and warming up. */
  readonly startup = { sessions: 0, warmUp: 0 };

  private constructor(private readonly models: Record<ModelName, Model>) {}

  get backends(): BackendMap {
    return Object.fromEntries(MODEL_NAMES.map((n) => [n, this.models[n].executionProvider])) as BackendMap;
  }

  static async create(opts: EngineOptions): Promise<FaceEngine> {
    // One at a time: parallel session creation only contends for the same wasm thread.
    const sw = new Stopwatch();
    const models: Model[] = [];
    for (const n of MODEL_NAMES) models.push(await Model.load(n, opts.loader, opts));
    const engine = new FaceEngine(Object.fromEntries(models.map((m) => [m.name, m])) as Record<ModelName, Model>);
    engine.startup.sessions = sw.lap();
    await engine.warmUp();
    engine.startup.warmUp = sw.lap();
    return engine;
  }

  /** One run per model on a blank input: the first real call then pays no kernel set-up. */
  private async warmUp(): Promise<void> {
    const blank = (n: number) => new Float32Array(n);
    await this.models.fr_detect.run(this.detectBuffer, [1, 3, DETECT_INPUT.height, DETECT_INPUT.width]);
    await this.models.fr_landmark.run(blank(LANDMARK_INPUT * LANDMARK_INPUT), [1, 1, LANDMARK_INPUT, LANDMARK_INPUT]);
    await this.models.fr_eye.run(blank(EYE_INPUT * EYE_INPUT), [1, 1, EYE_INPUT, EYE_INPUT]);
    await this.models.fr_feature.run(blank(3 * ALIGN_SIZE * ALIGN_SIZE), [1, 3, ALIGN_SIZE, ALIGN_SIZE]);
  }

  // Reused across calls: the detector input is the largest per-call buffer (900 KB).
  private readonly detectBuffer = new Float32Array(3 * DETECT_INPUT.height * DETECT_INPUT.width);

  async detect(img: RgbaImage, minScore = DEFAULT_DECODE.minScore): Promise<Detection[]> {
    const input = prepareDetectInput(img, this.detectBuffer);
    const out = await this.models.fr_detect.run(input.tensor, [1, 3, DETECT_INPUT.height, DETECT_INPUT.width]);
    return decodeDetections(out.scores, out.boxes, input, img.width, img.height, { ...DEFAULT_DECODE, minScore });
  }

  /** 68 points: a square crop of the detector box, then a second pass re-cut upright from those points. */
  async landmarks(img: RgbaImage, box: Pick<Detection, 'x1' | 'y1' | 'x2' | 'y2'>): Promise<Landmarks68> {
    const first = await this.landmarksInCrop(img, boxCrop(box));
    return this.landmarksInCrop(img, refineCrop(first));
  }

  /** One landmark-model run on one crop (mirrored: the crop is flipped and the points mapped back). */
  async landmarksInCrop(img: RgbaImage, g: CropGeometry, mirrored = false): Promise<Landmarks68> {
    const crop = prepareLandmarkInput(img, g, mirrored);
    const out = await this.models.fr_landmark.run(crop.tensor, [1, 1, LANDMARK_INPUT, LANDMARK_INPUT]);
    return decodeLandmarks(out.output, crop, mirrored);
  }

  /** fr_eye on the eye crop and on its mirror image, averaged: the model is not symmetric (docs/attributes.md). */
  async eyeClosed(img: RgbaImage, pts: Landmarks68, eye: readonly number[]): Promise<number> {
    const crop = prepareEyeInput(img, pts, eye);
    const a = await this.models.fr_eye.run(crop, [1, 1, EYE_INPUT, EYE_INPUT]);
    const b = await this.models.fr_eye.run(mirrorEyeInput(crop), [1, 1, EYE_INPUT, EYE_INPUT]);
    return (eyeClosedProbability(a.output) + eyeClosedProbability(b.output)) / 2;
  }

  async embed(alignedTensor: Float32Array): Promise<Float32Array> {
    const out = await this.models.fr_feature.run(alignedTensor, [1, 3, ALIGN_SIZE, ALIGN_SIZE]);
    return l2normalize(Float32Array.from(out.output));
  }

  /** Every face in the image, largest first. */
  async analyze(input: PreparedImage, options: AnalyzeOptions = {}): Promise<AnalyzedFace[]> {
    const opts = parseOptions(AnalyzeOptionsSchema, options);
    this.timings = { ...FIRST_STAGE_TIMINGS };
    const sw = new Stopwatch();
    const dets = await this.detect(input.image, opts.minScore);
    this.timings.detect = sw.lap();
    const faces: AnalyzedFace[] = [];
    for (const det of dets.sort((p, q) => area(q) - area(p))) faces.push(await this.describe(input, det, sw));
    return faces;
  }

  /** The subject of one image (rankFaces: central, then confidence-weighted largest); NO_FACE / MULTIPLE_FACES as asked. */
  async mainFace(input: PreparedImage, options: AnalyzeOptions = {}): Promise<AnalyzedFace> {
    const opts = parseOptions(AnalyzeOptionsSchema, options);
    this.timings = { ...FIRST_STAGE_TIMINGS };
    const sw = new Stopwatch();
    const dets = rankFaces(await this.detect(input.image, opts.minScore), input.image.width, input.image.height);
    this.timings.detect = sw.lap();
    if (dets.length === 0) throw new FaceError('NO_FACE', 'no face found in the image');
    if (dets.length > 1 && opts.rejectMultipleFaces) {
      throw new FaceError('MULTIPLE_FACES', `${dets.length} faces found and rejectMultipleFaces is set`, { faces: dets.length });
    }
    return this.describe(input, dets[0], sw);
  }

  /** The platform's compare_face scan for two prepared images. */
  async compare(a: PreparedImage, b: PreparedImage, options: CompareOptions = {}): Promise<CompareResult & { cosine: number }> {
    const opts = parseOptions(CompareOptionsSchema, options);
    const timings = { ...FIRST_STAGE_TIMINGS };
    const faces: AnalyzedFace[] = [];
    for (const [i, img] of [a, b].entries()) {
      try {
        faces.push(await this.mainFace(img, { minScore: opts.minScore, rejectMultipleFaces: opts.rejectMultipleFaces }));
      } catch (e) {
        throw withImage(e, i + 1);
      }
      addTimings(timings, this.timings);
      const quality = faces[i].face.face_quality;
      if (opts.minQuality !== undefined && quality < opts.minQuality) {
        throw new FaceError('LOW_QUALITY', `face ${i + 1} has quality ${quality.toFixed(2)}, below minQuality ${opts.minQuality}`, {
          image: i + 1, quality, minQuality: opts.minQuality,
        });
      }
    }
    const sw = new Stopwatch();
    const [e1, e2] = [await this.embed(faces[0].alignedTensor), await this.embed(faces[1].alignedTensor)];
    timings.embed = sw.lap();
    this.timings = timings;
    const cos = cosine(e1, e2);
    const similarity = calibratedSimilarity(cos);
    const result: CompareResult = {
      id: crypto.randomUUID(),
      created: new Date().toISOString(),
      channel: opts.channel,
      reference: opts.reference,
      compare_result: similarity >= (opts.threshold ?? PLATFORM_THRESHOLD) ? 'Same person' : 'Different person',
      compare_similarity: similarity,
      face1: faces[0].face,
      face2: faces[1].face,
    };
    return { ...CompareResultSchema.parse(result), cosine: cos };
  }

  /** The platform's per-face object (docs/attributes.md). Pixel values are in source pixels. */
  private async describe(input: PreparedImage, det: Detection, sw: Stopwatch): Promise<AnalyzedFace> {
    const img = input.image;
    const pts = await this.landmarks(img, det);
    this.timings.landmarks += sw.lap();
    const { tensor, srcToCrop } = alignFace(img, fivePoints(pts));
    this.timings.align += sw.lap();
    const [rightClosed, leftClosed] = [await this.eyeClosed(img, pts, RIGHT_EYE), await this.eyeClosed(img, pts, LEFT_EYE)];
    const { yaw, pitch, roll } = headPose(pts);
    const luminance = faceLuminance(img, pts);
    const occlusion = faceOcclusion(occlusionInput(img, srcToCrop), faceCellMask(pts, srcToCrop));
    const k = input.toSource;
    // Quality judges the face as the embedder gets it: size at the working resolution.
    const quality = faceQuality({ sharpness: sharpness(alignedLuma(tensor)), eyeDist: eyeDistance(pts), yaw, pitch, luminance, occlusion });
    const face: Face = {
      x1: Math.round(det.x1 * k),
      y1: Math.round(det.y1 * k),
      x2: Math.round(det.x2 * k),
      y2: Math.round(det.y2 * k),
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
    this.timings.attributes += sw.lap();
    return { face, score: det.score, alignedTensor: tensor };
  }

  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.models).map((m) => m.release()));
  }
}

const area = (d: Detection) => (d.x2 - d.x1) * (d.y2 - d.y1);

function addTimings(into: StageTimings, from: StageTimings): void {
  for (const k of Object.keys(into) as (keyof StageTimings)[]) into[k] += from[k];
}
