/**
 * Per-face attributes with the platform's meaning and sign conventions (docs/attributes.md).
 * Everything here is computed from the image and the 68 landmarks; nothing is a constant.
 */
import { ALIGN_SIZE } from './align.js';
import { rectToGrid, warpToTensor, type Affine, type RgbaImage, type TensorSpec } from './image.js';
import { centroid, LEFT_EYE, RIGHT_EYE, type Landmarks68 } from './landmarks.js';

const DEG = 180 / Math.PI;
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const dist = (p: [number, number], q: [number, number]) => Math.hypot(p[0] - q[0], p[1] - q[1]);
const pt = (pts: Landmarks68, i: number): [number, number] => [pts[2 * i], pts[2 * i + 1]];

/** Distance between the eye centres (means of points 36–41 and 42–47), source pixels. */
export function eyeDistance(pts: Landmarks68): number {
  return dist(centroid(pts, RIGHT_EYE), centroid(pts, LEFT_EYE));
}

/**
 * Roll, degrees: the angle of the line from the image-left eye to the image-right eye, in image
 * coordinates (y down), so a head tilted toward the image's right shoulder gives a positive value.
 */
export function rollDegrees(pts: Landmarks68): number {
  const [ax, ay] = centroid(pts, RIGHT_EYE);
  const [bx, by] = centroid(pts, LEFT_EYE);
  return Math.atan2(by - ay, bx - ax) * DEG;
}

/** Points rotated so the eye line is horizontal (removes roll before measuring yaw and pitch). */
function deRolled(pts: Landmarks68): (i: number | [number, number]) => [number, number] {
  const a = -rollDegrees(pts) / DEG;
  const c = Math.cos(a), s = Math.sin(a);
  return (p) => {
    const [x, y] = typeof p === 'number' ? pt(pts, p) : p;
    return [c * x - s * y, s * x + c * y];
  };
}

// Head model for the geometric pose estimate: nose-tip depth in front of the jaw contour, relative
// to the contour's half width, and relative to the eye–mouth distance. Typical adult proportions.
const NOSE_DEPTH_OVER_HALF_WIDTH = 1.4;
const NOSE_DEPTH_OVER_EYE_MOUTH = 0.5;
const FRONTAL_NOSE_T = 0.6;

/**
 * Yaw, degrees, from where the nose tip sits between the two ends of the jaw contour.
 * Negative when the nose points toward the image's right (the platform's convention).
 */
export function yawDegrees(pts: Landmarks68): number {
  const R = deRolled(pts);
  const left = R(0)[0], right = R(16)[0], nose = R(30)[0];
  if (right - left <= 0) return 0;
  const r = (nose - left) / (right - left);
  const s = Math.max(-1, Math.min(1, (2 * r - 1) / NOSE_DEPTH_OVER_HALF_WIDTH));
  return -Math.asin(s) * DEG;
}

/**
 * Pitch, degrees, from where the nose tip sits between the eye line and the mouth line.
 * Positive when the face tilts up (the nose tip rises toward the eyes).
 */
export function pitchDegrees(pts: Landmarks68): number {
  const R = deRolled(pts);
  const eyes = (R(centroid(pts, RIGHT_EYE))[1] + R(centroid(pts, LEFT_EYE))[1]) / 2;
  const mouth = (R(48)[1] + R(54)[1]) / 2;
  if (mouth - eyes <= 0) return 0;
  const t = (R(30)[1] - eyes) / (mouth - eyes);
  const s = Math.max(-1, Math.min(1, (FRONTAL_NOSE_T - t) / NOSE_DEPTH_OVER_EYE_MOUTH));
  return Math.asin(s) * DEG;
}

/**
 * Mouth opening, 0–1: the inner-lip gap (mean of 61–67, 62–66, 63–65) over the mouth width
 * (48–54), mapped so closed lips give ≈ 0 and a wide-open mouth (gap ≥ 55 % of width) gives 1.
 */
export function mouthOpened(pts: Landmarks68): number {
  const gap = (dist(pt(pts, 61), pt(pts, 67)) + dist(pt(pts, 62), pt(pts, 66)) + dist(pt(pts, 63), pt(pts, 65))) / 3;
  const width = dist(pt(pts, 48), pt(pts, 54));
  return width > 0 ? clamp01((gap / width - 0.05) / 0.5) : 0;
}

/** Eye aspect ratio (Soukupová & Čech 2016): ≈ 0.3 open, < 0.15 closed. Indices: 6 eye points. */
export function eyeAspectRatio(pts: Landmarks68, eye: readonly number[]): number {
  const p = eye.map((i) => pt(pts, i));
  return (dist(p[1], p[5]) + dist(p[2], p[4])) / (2 * dist(p[0], p[3]) || 1);
}

export const EYE_INPUT = 24;
const EYE_SPEC: TensorSpec = { channels: 'gray', mean: [0], std: [255], border: 0 };

/**
 * Square eye crop for fr_eye: centred on the eye's lid points, 1.6 x the corner-to-corner width,
 * rotated with the eye line so a tilted head still gives an upright eye.
 */
export function prepareEyeInput(img: RgbaImage, pts: Landmarks68, eye: readonly number[], out?: Float32Array): Float32Array {
  const [cx, cy] = centroid(pts, [eye[1], eye[2], eye[4], eye[5]]);
  const size = Math.max(4, dist(pt(pts, eye[0]), pt(pts, eye[3])) * 1.6);
  const a = rollDegrees(pts) / DEG;
  const k = size / EYE_INPUT, c = Math.cos(a) * k, s = Math.sin(a) * k;
  const h = EYE_INPUT / 2;
  // crop (u, v) → source: centre + R(a) · k · (u − h, v − h)
  const map: Affine = [c, -s, cx - c * h + s * h, s, c, cy - s * h - c * h];
  return warpToTensor(img, map, EYE_INPUT, EYE_INPUT, EYE_SPEC, out);
}

/** fr_eye's two logits → probability that the eye is closed (class 0 is "closed"). */
export function eyeClosedProbability(logits: ArrayLike<number>): number {
  const m = Math.max(logits[0], logits[1]);
  const e0 = Math.exp(logits[0] - m), e1 = Math.exp(logits[1] - m);
  return e0 / (e0 + e1);
}

/** Mean BT.601 luma (0–255) inside the landmarks' bounding box (brows to chin, jaw to jaw). */
export function faceLuminance(img: RgbaImage, pts: Landmarks68): number {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (let i = 0; i < 68; i++) {
    x1 = Math.min(x1, pts[2 * i]); x2 = Math.max(x2, pts[2 * i]);
    y1 = Math.min(y1, pts[2 * i + 1]); y2 = Math.max(y2, pts[2 * i + 1]);
  }
  const w = Math.max(1, Math.round(x2 - x1)), h = Math.max(1, Math.round(y2 - y1));
  // Averaging through the warp keeps this O(64²) whatever the face size.
  const gw = Math.min(64, w), gh = Math.min(64, h);
  const luma = warpToTensor(img, rectToGrid(x1, y1, x2 - x1, y2 - y1, gw, gh), gw, gh, {
    channels: 'gray', mean: [0], std: [1], border: 0,
  });
  let sum = 0;
  for (let i = 0; i < luma.length; i++) sum += luma[i];
  return sum / luma.length;
}

/** An aligned 112x112 crop as planar B, G, R values 0–255 (from the embedder's tensor). */
export interface AlignedCrop {
  bgr: Float32Array;
}

/** Converts the embedder's normalised BGR tensor back to 0–255 planes. */
export function cropFromTensor(tensor: Float32Array): AlignedCrop {
  const bgr = new Float32Array(tensor.length);
  for (let i = 0; i < tensor.length; i++) bgr[i] = tensor[i] * 128 + 127;
  return { bgr };
}

type Rect = [x1: number, y1: number, x2: number, y2: number];
// Regions of the ArcFace 112x112 template, with the share of the face each stands for.
const REGIONS: { name: string; rect: Rect; weight: number }[] = [
  { name: 'forehead', rect: [36, 22, 76, 38], weight: 0.12 },
  { name: 'right_eye', rect: [28, 44, 48, 58], weight: 0.12 },
  { name: 'left_eye', rect: [64, 44, 84, 58], weight: 0.12 },
  { name: 'nose', rect: [48, 56, 64, 78], weight: 0.14 },
  { name: 'right_cheek', rect: [24, 62, 42, 84], weight: 0.12 },
  { name: 'left_cheek', rect: [70, 62, 88, 84], weight: 0.12 },
  { name: 'mouth', rect: [40, 84, 72, 100], weight: 0.16 },
  { name: 'chin', rect: [44, 100, 68, 110], weight: 0.1 },
];

function regionStats(crop: AlignedCrop, [x1, y1, x2, y2]: Rect): { y: number; cb: number; cr: number } {
  const n = ALIGN_SIZE * ALIGN_SIZE;
  let Y = 0, Cb = 0, Cr = 0, k = 0;
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; x++) {
      const i = y * ALIGN_SIZE + x;
      const b = crop.bgr[i], g = crop.bgr[n + i], r = crop.bgr[2 * n + i];
      const yy = 0.299 * r + 0.587 * g + 0.114 * b;
      Y += yy; Cb += 0.564 * (b - yy); Cr += 0.713 * (r - yy); k++;
    }
  }
  return { y: Y / k, cb: Cb / k, cr: Cr / k };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Occlusion, 0–1: the weighted share of face regions whose colour departs from the face's own skin
 * tone (the median over regions), in chroma or in brightness. Masks, hands, scarves and dark
 * glasses all break that consistency; a bare face, whatever its skin tone or lighting, keeps it.
 * A first, model-free estimate (the attributes issue refines it).
 */
export function faceOcclusion(crop: AlignedCrop): number {
  const stats = REGIONS.map((r) => regionStats(crop, r.rect));
  const cb = median(stats.map((s) => s.cb)), cr = median(stats.map((s) => s.cr)), y = median(stats.map((s) => s.y));
  let occluded = 0;
  stats.forEach((s, i) => {
    const chroma = Math.hypot(s.cb - cb, s.cr - cr);
    // Eyes and mouth are naturally darker: only a large luma drop (sunglasses, a hand's shadow) counts.
    const lumaRatio = s.y / Math.max(1, y);
    const score = clamp01((chroma - 8) / 12) + clamp01((0.55 - lumaRatio) / 0.25) + clamp01((lumaRatio - 1.6) / 0.4);
    occluded += REGIONS[i].weight * clamp01(score);
  });
  return clamp01(occluded);
}

/** Variance of the 3x3 Laplacian over the aligned crop's luma: a focus measure. */
export function sharpness(crop: AlignedCrop): number {
  const S = ALIGN_SIZE, n = S * S;
  const luma = new Float32Array(n);
  for (let i = 0; i < n; i++) luma[i] = 0.114 * crop.bgr[i] + 0.587 * crop.bgr[n + i] + 0.299 * crop.bgr[2 * n + i];
  let sum = 0, sum2 = 0, k = 0;
  // Central region only: the template's border holds background and padding.
  for (let y = 20; y < S - 8; y++) {
    for (let x = 20; x < S - 20; x++) {
      const i = y * S + x;
      const l = luma[i - 1] + luma[i + 1] + luma[i - S] + luma[i + S] - 4 * luma[i];
      sum += l; sum2 += l * l; k++;
    }
  }
  const mean = sum / k;
  return sum2 / k - mean * mean;
}

export interface QualityInputs {
  sharpness: number;
  eyeDist: number;
  yaw: number;
  pitch: number;
  luminance: number;
  occlusion: number;
}

/**
 * Fitness for recognition, 0–1: the product of per-factor scores, each 1 inside the range where
 * the embedder works well and falling to 0 outside it (thresholds in docs/attributes.md).
 */
export function faceQuality(q: QualityInputs): number {
  const sharp = clamp01(q.sharpness / 60);
  const size = clamp01((q.eyeDist - 12) / 20);
  const pose = clamp01(1 - (Math.abs(q.yaw) - 30) / 40) * clamp01(1 - (Math.abs(q.pitch) - 25) / 30);
  const light = clamp01((q.luminance - 25) / 35) * clamp01((245 - q.luminance) / 25);
  const occ = clamp01(1 - (q.occlusion - 0.15) / 0.5);
  return clamp01(sharp * size * pose * light * occ);
}
