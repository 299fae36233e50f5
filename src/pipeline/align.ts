import { invertAffine, warpToTensor, type Affine, type RgbaImage, type TensorSpec } from './image.js';

export const ALIGN_SIZE = 112;

/** ArcFace's canonical 5 points in the 112x112 crop (insightface's arcface_dst). */
export const ARCFACE_POINTS: readonly [number, number][] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

// The template is in OpenCV pixel-index coordinates (pixel centres on integers); ours put centres at +0.5.
const TEMPLATE = ARCFACE_POINTS.map(([x, y]) => [x + 0.5, y + 0.5] as [number, number]);

/**
 * Least-squares similarity transform (Umeyama 1991, no reflection) taking `src` points onto `dst`.
 * Returns the source → destination affine.
 */
export function similarityTransform(src: readonly [number, number][], dst: readonly [number, number][]): Affine {
  const n = src.length;
  let msx = 0, msy = 0, mdx = 0, mdy = 0;
  for (let i = 0; i < n; i++) { msx += src[i][0]; msy += src[i][1]; mdx += dst[i][0]; mdy += dst[i][1]; }
  msx /= n; msy /= n; mdx /= n; mdy /= n;
  // For 2-D similarity, the Umeyama solution reduces to: a = Σ(s·d)/Σ|s|², b = Σ(s×d)/Σ|s|²
  // on centred points, with the rotation-scale matrix [[a, -b], [b, a]].
  let sxx = 0, dot = 0, cross = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - msx, sy = src[i][1] - msy;
    const dx = dst[i][0] - mdx, dy = dst[i][1] - mdy;
    sxx += sx * sx + sy * sy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
  }
  const a = dot / sxx, b = cross / sxx;
  return [a, -b, mdx - (a * msx - b * msy), b, a, mdy - (b * msx + a * msy)];
}

/** Tensor layout the embedder wants: BGR (measured better than RGB), (x − 127) / 128, black border. */
export const EMBED_SPEC: TensorSpec = { channels: [2, 1, 0], mean: [127], std: [128], border: 0 };

/** Warps the face onto the 112x112 ArcFace template and returns the source → crop transform too. */
export function alignFace(
  img: RgbaImage,
  points5: readonly [number, number][],
  spec: TensorSpec = EMBED_SPEC,
  out?: Float32Array,
): { tensor: Float32Array; srcToCrop: Affine } {
  const srcToCrop = similarityTransform(points5, TEMPLATE);
  const tensor = warpToTensor(img, invertAffine(srcToCrop), ALIGN_SIZE, ALIGN_SIZE, spec, out);
  return { tensor, srcToCrop };
}
