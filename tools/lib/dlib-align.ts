/**
 * dlib's face chip for its face recognition ResNet: extract_image_chip(img,
 * get_face_chip_details(shape, 150, 0.25)), from our 68 landmarks.
 */
import { similarityTransform } from 'face-compare-sdk/internal';
import { invertAffine, warpToTensor, type Affine, type RgbaImage, type TensorSpec } from 'face-compare-sdk/internal';

export const DLIB_CHIP_SIZE = 150;
export const DLIB_CHIP_PADDING = 0.25;

/**
 * What the dlib ResNet wants: RGB minus dlib's input_rgb_image_sized means, divided by 256 as dlib
 * trained it (face-api divides by 255, which moves a descriptor by ~1e-3 against dlib's 0.6 match
 * distance), and black outside the image as extract_image_chip fills it.
 */
export const DLIB_SPEC: TensorSpec = { channels: [0, 1, 2], mean: [122.782, 117.001, 104.298], std: [256], border: 0 };

/** dlib's mean face of points 17–67 in [0, 1] (mean_face_shape_x/y, dlib/image_transforms/interpolation.h). */
const MEAN_FACE_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
  0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
  0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
  0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
  0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
  0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
  0.553364, 0.490127, 0.42689,
];
const MEAN_FACE_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
  0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
  0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
  0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
  0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
  0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
  0.784792, 0.824182, 0.831803, 0.824182,
];

/** The points dlib fits: 17–67 without the eyebrows (17–26) and the lower lip (55–59, 65–67). */
export const DLIB_FIT_POINTS: readonly number[] = Array.from({ length: 51 }, (_, k) => k + 17)
  .filter((i) => !(i <= 26 || (i >= 55 && i <= 59) || i >= 65));

/** Mean-face position of point i (17–67) in dlib's chip units: (padding + m) / (2 padding + 1) · size. */
export function dlibTemplatePoint(i: number, size = DLIB_CHIP_SIZE, padding = DLIB_CHIP_PADDING): [number, number] {
  const k = size / (2 * padding + 1);
  return [(padding + MEAN_FACE_X[i - 17]) * k, (padding + MEAN_FACE_Y[i - 17]) * k];
}

/**
 * Source → chip affine of dlib's face chip, in our pixel convention (pixel centres at +0.5, in the
 * source and in the chip). Exactly what dlib does:
 * - a least-squares similarity T from the template (chip units) to the points, in dlib's
 *   convention (pixel centres on integers, so our points − 0.5);
 * - chip_details keeps T's angle and scale s and the centre c = T(size/2), and extract_image_chip
 *   maps the chip's pixel indices 0 and size − 1 onto the ends of the size·s wide rectangle round c,
 *   so one chip pixel spans size/(size − 1) template units.
 * points68: x0, y0, x1, y1, … in source pixels.
 */
export function dlibChipTransform(points68: ArrayLike<number>, size = DLIB_CHIP_SIZE, padding = DLIB_CHIP_PADDING): Affine {
  if (points68.length !== 136) throw new RangeError(`dlibChipTransform needs 68 points (136 numbers), got ${points68.length}`);
  const template = DLIB_FIT_POINTS.map((i) => dlibTemplatePoint(i, size, padding));
  const points = DLIB_FIT_POINTS.map((i) => [points68[2 * i] - 0.5, points68[2 * i + 1] - 0.5] as [number, number]);
  const [a, b, c, d, e, f] = similarityTransform(template, points); // template → source (dlib convention)
  // Chip pixel centre p (ours) ↦ template unit q = h + k (p − h), with h = size/2 and k = size/(size − 1);
  // then T, then + 0.5 back to our source convention.
  const h = size / 2, k = size / (size - 1), o = h - k * h;
  const chipToSrc: Affine = [a * k, b * k, a * o + b * o + c + 0.5, d * k, e * k, d * o + e * o + f + 0.5];
  return invertAffine(chipToSrc);
}

/** The 150x150 chip tensor (NCHW, normalised by `spec`) and the source → chip transform. */
export function dlibChip(img: RgbaImage, points68: ArrayLike<number>, spec: TensorSpec = DLIB_SPEC, out?: Float32Array): { tensor: Float32Array; srcToChip: Affine } {
  const srcToChip = dlibChipTransform(points68);
  return { tensor: warpToTensor(img, invertAffine(srcToChip), DLIB_CHIP_SIZE, DLIB_CHIP_SIZE, spec, out), srcToChip };
}
