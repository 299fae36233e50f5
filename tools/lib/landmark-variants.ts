/**
 * Landmark crops the SDK tried and did not keep (docs/attributes.md): a stretched, non-square crop
 * of the detector box, and a mirrored crop whose points are flipped back. The attribute evaluation
 * measures them against the shipped square crop, with its own fr_landmark session.
 */
import { join } from 'node:path';
import {
  applyAffine, DEFAULT_MODELS_DIR, FLIP_68, LANDMARK_INPUT, MODELS, warpToTensor,
  type Affine, type CropGeometry, type Landmarks68, type RgbaImage,
} from 'face-compare-sdk/internal';
import { loadOnnxEmbedder, type EmbedderModel } from './onnx-embedder.js';

/** A crop geometry with a height/width ratio (1 = the shipped square crop). */
export interface VariantCrop extends CropGeometry {
  aspect?: number;
}

/** Crop-pixel → source map, optionally mirrored left–right. */
export function variantCropMap(g: VariantCrop, mirror = false): Affine {
  const k = g.size / LANDMARK_INPUT, ky = k * (g.aspect ?? 1), h = LANDMARK_INPUT / 2;
  const c = Math.cos(g.angle), s = Math.sin(g.angle), m = mirror ? -k : k;
  // source = centre + R(angle) · (m (u − h), ky (v − h))
  return [m * c, -s * ky, g.cx - m * c * h + s * ky * h, m * s, c * ky, g.cy - m * s * h - c * ky * h];
}

let session: Promise<EmbedderModel> | undefined;

/** fr_landmark on one variant crop; for a mirrored crop the model's point i is the face's FLIP_68[i]. */
export async function landmarksInVariantCrop(img: RgbaImage, g: VariantCrop, mirrored = false): Promise<Landmarks68> {
  session ??= loadOnnxEmbedder(join(DEFAULT_MODELS_DIR, MODELS.fr_landmark.file), { input: 'input', output: 'output', dims: [1, 1, LANDMARK_INPUT, LANDMARK_INPUT], outputSize: 136 });
  const map = variantCropMap(g, mirrored);
  const tensor = warpToTensor(img, map, LANDMARK_INPUT, LANDMARK_INPUT, { channels: 'gray', mean: [0], std: [256], border: 0 });
  const out = await (await session).embed(tensor);
  const pts = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    const j = mirrored ? FLIP_68[i] : i;
    const [x, y] = applyAffine(map, out[2 * j] * LANDMARK_INPUT, out[2 * j + 1] * LANDMARK_INPUT);
    pts[2 * i] = x;
    pts[2 * i + 1] = y;
  }
  return pts;
}
