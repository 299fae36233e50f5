import { applyAffine, letterbox, warpToTensor, type Affine, type RgbaImage, type TensorSpec } from './image.js';

export const DETECT_INPUT = { width: 320, height: 240 } as const;
const DETECT_SPEC: TensorSpec = { channels: [0, 1, 2], mean: [127], std: [128], border: 127 };

/** A detected face, in pixels of the image given to the detector (working pixels in the engine). */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export interface DetectInput {
  tensor: Float32Array;
  /** Maps model-input pixels back to the pixels of the image given. */
  toSource: (x: number, y: number) => [number, number];
}

/**
 * Letterboxes the image into the detector's 320x240 input (aspect kept, grey padding that
 * normalises to 0) with area-averaged downscaling, so a 12 MP photo and a 320x240 frame look alike.
 *
 * `small`, when given, is the same picture already shrunk to `detectContentSize(img)` by a native
 * scaler (the browser's, in its decoder): it is copied 1:1 into the letterbox instead of warping
 * every pixel of `img` in JS; boxes still come back in `img`'s pixels.
 */
export function prepareDetectInput(img: RgbaImage, out?: Float32Array, small?: RgbaImage): DetectInput {
  const src = small ?? img;
  const { map } = letterbox(src.width, src.height, DETECT_INPUT.width, DETECT_INPUT.height);
  const tensor = warpToTensor(src, map, DETECT_INPUT.width, DETECT_INPUT.height, DETECT_SPEC, out);
  // src pixels → img pixels: one scale per axis (the small size is rounded, so x and y may differ by a hair).
  const kx = img.width / src.width, ky = img.height / src.height;
  const toImg: Affine = [map[0] * kx, map[1] * kx, map[2] * kx, map[3] * ky, map[4] * ky, map[5] * ky];
  return { tensor, toSource: (x, y) => applyAffine(toImg, x, y) };
}

/**
 * The size a native scaler should shrink a `width` x `height` image to for the detector: its
 * letterbox content, rounded to even sides so the letterbox pads are whole pixels and the copy is
 * exact. Undefined when the image is at most twice the detector input: there the JS warp is cheap
 * (under a millisecond) and a native pass would only add a read-back.
 */
export function detectContentSize(width: number, height: number): { width: number; height: number } | undefined {
  const scale = Math.min(DETECT_INPUT.width / width, DETECT_INPUT.height / height);
  if (scale >= 0.5) return undefined;
  const even = (v: number) => Math.max(2, 2 * Math.round(v / 2));
  return { width: even(width * scale), height: even(height * scale) };
}

export interface DecodeOptions {
  minScore: number;
  iouThreshold: number;
  /** Boxes narrower than this (source px) are ignored. */
  minSize: number;
}

export const DEFAULT_DECODE: DecodeOptions = { minScore: 0.6, iouThreshold: 0.4, minSize: 8 };

/**
 * Turns the detector's raw outputs into source-pixel boxes. fr_detect already decodes its priors:
 * `boxes` holds corner-form (x1, y1, x2, y2) normalised to [0, 1] of the model input and
 * `scores[i * 2 + 1]` is the face probability.
 */
export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  input: DetectInput,
  imgW: number,
  imgH: number,
  opts: DecodeOptions = DEFAULT_DECODE,
): Detection[] {
  const n = scores.length / 2;
  const cands: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const score = scores[i * 2 + 1];
    if (score < opts.minScore) continue;
    const [x1, y1] = input.toSource(boxes[i * 4] * DETECT_INPUT.width, boxes[i * 4 + 1] * DETECT_INPUT.height);
    const [x2, y2] = input.toSource(boxes[i * 4 + 2] * DETECT_INPUT.width, boxes[i * 4 + 3] * DETECT_INPUT.height);
    const d = {
      x1: Math.max(0, Math.min(x1, imgW)),
      y1: Math.max(0, Math.min(y1, imgH)),
      x2: Math.max(0, Math.min(x2, imgW)),
      y2: Math.max(0, Math.min(y2, imgH)),
      score,
    };
    if (d.x2 - d.x1 >= opts.minSize && d.y2 - d.y1 >= opts.minSize) cands.push(d);
  }
  return nms(cands, opts.iouThreshold);
}

export function iou(a: Detection, b: Detection): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Greedy non-maximum suppression, highest score first. */
function nms(dets: Detection[], iouThreshold: number): Detection[] {
  const sorted = [...dets].sort((p, q) => q.score - p.score);
  const keep: Detection[] = [];
  for (const d of sorted) if (keep.every((k) => iou(k, d) <= iouThreshold)) keep.push(d);
  return keep;
}

/** A face holding the image centre must have at least this share of the best confidence-weighted area. */
const CENTRE_MIN_SHARE = 0.5;

/**
 * Orders faces by how likely each is the subject: area weighted by detector confidence, so a large
 * but blurred background face does not beat a sharp one (a pure "largest" rule once did) — except
 * that a face holding the image centre goes first when it has at least half the best weight. The
 * centre is LFW's definition of the subject and where a photographer or a kiosk camera puts one: it
 * fixed three of ten LFW test errors, where a neighbour's face was 7–26 % larger (docs/accuracy.md);
 * the share keeps a small or blurred face that happens to sit at the centre from winning.
 */
export function rankFaces<T extends Detection>(dets: T[], width: number, height: number): T[] {
  const weight = (d: Detection) => (d.x2 - d.x1) * (d.y2 - d.y1) * d.score ** 4;
  const byWeight = [...dets].sort((p, q) => weight(q) - weight(p));
  const [cx, cy] = [width / 2, height / 2];
  const central = byWeight.find((d) => d.x1 <= cx && cx <= d.x2 && d.y1 <= cy && cy <= d.y2);
  if (!central || weight(central) < CENTRE_MIN_SHARE * weight(byWeight[0])) return byWeight;
  return [central, ...byWeight.filter((d) => d !== central)];
}
