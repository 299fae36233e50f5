/**
 * Synthetic occluders for training and validating the occlusion model: shapes placed from a
 * face's landmarks (eyes band, nose, mouth, half face, sunglasses, fingers, face mask, hair
 * strands, random blobs) filled with solid, dark, bright, noisy, skin-like or natural textures.
 * They paint into planar RGB float images (0–255) and return the coverage of every pixel.
 */
import { centroid, LEFT_EYE, RIGHT_EYE } from '../../src/pipeline/landmarks.js';

export type Rng = () => number;
/** Deterministic PRNG (mulberry32), so figures are reproducible. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r: Rng) => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

export interface Planar {
  width: number;
  height: number;
  /** R, G, B planes, 0–255. */
  rgb: Float32Array;
}

/** A shape: is the point inside? (evaluated on a 2x2 subgrid per pixel for soft edges). */
export type Shape = (x: number, y: number) => boolean;

export const rectShape = (x1: number, y1: number, x2: number, y2: number): Shape => (x, y) => x >= x1 && x < x2 && y >= y1 && y < y2;
export const ellipseShape = (cx: number, cy: number, rx: number, ry: number, angle = 0): Shape => {
  const c = Math.cos(angle), s = Math.sin(angle);
  return (x, y) => {
    const u = c * (x - cx) + s * (y - cy), v = -s * (x - cx) + c * (y - cy);
    return (u / rx) ** 2 + (v / ry) ** 2 <= 1;
  };
};
/** Capsule (a rounded bar) from (ax, ay) to (bx, by), radius r. */
export const capsuleShape = (ax: number, ay: number, bx: number, by: number, r: number): Shape => (x, y) => {
  const dx = bx - ax, dy = by - ay, L = dx * dx + dy * dy || 1;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / L));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= r * r;
};
/** Half-plane: points on the side of the line through (px, py) with normal (nx, ny). */
export const halfPlaneShape = (px: number, py: number, nx: number, ny: number): Shape => (x, y) => (x - px) * nx + (y - py) * ny >= 0;
export const polygonShape = (poly: number[]): Shape => (x, y) => {
  let inside = false;
  for (let i = 0, j = poly.length / 2 - 1; i < poly.length / 2; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
export const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));

/** Coverage (0–1) of every pixel by the shape: 2x2 samples per pixel. */
export function coverage(shape: Shape, width: number, height: number): Float32Array {
  const a = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let n = 0;
      for (const oy of [0.25, 0.75]) for (const ox of [0.25, 0.75]) if (shape(x + ox, y + oy)) n++;
      a[y * width + x] = n / 4;
    }
  }
  return a;
}

/** A texture: RGB (0–255) at a pixel. */
export type Texture = (x: number, y: number) => [number, number, number];

export const solid = (r: number, g: number, b: number): Texture => () => [r, g, b];
export function noiseTexture(r: Rng, scale: number): Texture {
  // Value noise on a coarse lattice, bilinearly blended: blotchy, like fabric or foliage.
  const cells = new Map<string, [number, number, number]>();
  const base = [r() * 255, r() * 255, r() * 255];
  const at = (i: number, j: number) => {
    const k = `${i},${j}`;
    let v = cells.get(k);
    if (!v) { v = [0, 1, 2].map((c) => Math.max(0, Math.min(255, base[c] + 90 * gauss(r)))) as [number, number, number]; cells.set(k, v); }
    return v;
  };
  return (x, y) => {
    const u = x / scale, v = y / scale, i = Math.floor(u), j = Math.floor(v), fu = u - i, fv = v - j;
    const a = at(i, j), b = at(i + 1, j), c = at(i, j + 1), d = at(i + 1, j + 1);
    return [0, 1, 2].map((ch) => (a[ch] * (1 - fu) + b[ch] * fu) * (1 - fv) + (c[ch] * (1 - fu) + d[ch] * fu) * fv) as [number, number, number];
  };
}
/** Skin-like: a tone near the face's own, with a shading gradient and grain (a hand, an arm). */
export function skinTexture(r: Rng, tone: [number, number, number], size: number): Texture {
  const k = 0.75 + 0.5 * r(), ang = r() * 2 * Math.PI, grad = (0.2 + 0.3 * r()) / size;
  const gx = Math.cos(ang) * grad, gy = Math.sin(ang) * grad;
  return (x, y) => {
    const shade = k * (1 + gx * x + gy * y - (gx + gy) * size / 2) + 0.03 * gauss(r);
    return [tone[0] * shade, tone[1] * shade, tone[2] * shade].map((v) => Math.max(0, Math.min(255, v))) as [number, number, number];
  };
}
/** Dark lenses with a specular glint. */
export function darkLensTexture(r: Rng, gx: number, gy: number, radius: number): Texture {
  const base = 10 + 40 * r(), tint = [r() * 20, r() * 20, r() * 20];
  return (x, y) => {
    const glint = Math.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * radius * radius)) * 180;
    return [0, 1, 2].map((c) => Math.min(255, base + tint[c] + glint)) as [number, number, number];
  };
}
/** A patch of another image (natural texture), tiled. */
export function patchTexture(p: Planar, scale = 1): Texture {
  const n = p.width * p.height;
  return (x, y) => {
    const u = Math.abs(Math.floor(x * scale)) % p.width, v = Math.abs(Math.floor(y * scale)) % p.height, i = v * p.width + u;
    return [p.rgb[i], p.rgb[n + i], p.rgb[2 * n + i]];
  };
}

/** Paints the texture through the coverage map (alpha blend, in place). */
export function paint(img: Planar, alpha: Float32Array, tex: Texture): void {
  const n = img.width * img.height;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x, a = alpha[i];
      if (a === 0) continue;
      const t = tex(x + 0.5, y + 0.5);
      for (let c = 0; c < 3; c++) img.rgb[c * n + i] = (1 - a) * img.rgb[c * n + i] + a * t[c];
    }
  }
}

const ptOf = (pts: ArrayLike<number>, i: number): [number, number] => [pts[2 * i], pts[2 * i + 1]];
function extent(pts: ArrayLike<number>, idx: number[]): [number, number, number, number] {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const i of idx) {
    x1 = Math.min(x1, pts[2 * i]); x2 = Math.max(x2, pts[2 * i]);
    y1 = Math.min(y1, pts[2 * i + 1]); y2 = Math.max(y2, pts[2 * i + 1]);
  }
  return [x1, y1, x2, y2];
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

export const REGIONS = ['eyes', 'nose', 'mouth', 'lower-half', 'left-half', 'right-half'] as const;
export type Region = (typeof REGIONS)[number];

/** A box over a named part of the face, from its landmarks (the validation suite's regions). */
export function regionShape(region: Region, pts: ArrayLike<number>): Shape {
  const ed = Math.hypot(...([0, 1].map((c) => centroid(pts, LEFT_EYE)[c] - centroid(pts, RIGHT_EYE)[c]) as [number, number]));
  const m = 0.12 * ed;
  switch (region) {
    case 'eyes': {
      const [x1, , x2] = extent(pts, range(36, 48)), [, y1] = extent(pts, range(17, 27)), [, , , y2] = extent(pts, range(36, 48));
      return rectShape(x1 - 2 * m, y1 - m, x2 + 2 * m, y2 + 2 * m);
    }
    case 'nose': {
      const [x1, , x2, y2] = extent(pts, range(31, 36));
      return rectShape(x1 - m, ptOf(pts, 27)[1], x2 + m, y2 + m);
    }
    case 'mouth': {
      const [x1, y1, x2, y2] = extent(pts, range(48, 68));
      return rectShape(x1 - m, y1 - m, x2 + m, y2 + m);
    }
    case 'lower-half': {
      const y = ptOf(pts, 30)[1];
      return rectShape(-1e6, y, 1e6, 1e6);
    }
    case 'left-half': case 'right-half': {
      // The subject's left half is on the image's right in a frontal photo (beyond the nose line).
      const [x] = centroid(pts, [27, 28, 29, 30]);
      return region === 'left-half' ? rectShape(x, -1e6, 1e6, 1e6) : rectShape(-1e6, -1e6, x, 1e6);
    }
  }
}

export const TEXTURES = ['black', 'grey', 'white', 'colour', 'noise', 'skin', 'natural'] as const;
export type TextureName = (typeof TEXTURES)[number];

/** One of the validation textures, sized for a face of eye distance `ed`. */
export function namedTexture(name: TextureName, r: Rng, ed: number, tone: [number, number, number], natural?: Planar): Texture {
  switch (name) {
    case 'black': return solid(15, 15, 15);
    case 'grey': return solid(128, 128, 128);
    case 'white': return solid(240, 240, 240);
    case 'colour': return solid(r() * 255, r() * 255, r() * 255);
    case 'noise': return noiseTexture(r, Math.max(2, ed / 8));
    case 'skin': return skinTexture(r, tone, 2 * ed);
    case 'natural': return natural ? patchTexture(natural, Math.max(0.25, 40 / ed)) : noiseTexture(r, ed / 4);
  }
}

/**
 * A random occluder for training: shape and texture drawn from the whole family (sunglasses,
 * fingers, masks, strands of hair, blobs, bands, half planes), placed from the landmarks.
 */
export function randomOccluder(r: Rng, pts: ArrayLike<number>, tone: [number, number, number], naturals: Planar[]): { shape: Shape; texture: Texture } {
  const re = centroid(pts, RIGHT_EYE), le = centroid(pts, LEFT_EYE);
  const ed = Math.hypot(le[0] - re[0], le[1] - re[1]);
  const [fx1, fy1, fx2, fy2] = extent(pts, range(0, 68));
  const rx = () => fx1 + r() * (fx2 - fx1), ry = () => fy1 + r() * (fy2 - fy1);
  const kind = r();
  let shape: Shape;
  let texture: Texture | null = null;
  if (kind < 0.15) {
    // sunglasses
    const rad = ed * (0.28 + 0.14 * r()), h = rad * (0.7 + 0.3 * r());
    shape = union(ellipseShape(re[0], re[1] + 0.05 * ed, rad, h), ellipseShape(le[0], le[1] + 0.05 * ed, rad, h),
      capsuleShape(re[0], re[1], le[0], le[1], 0.04 * ed));
    texture = darkLensTexture(r, re[0] - rad * 0.3, re[1] - h * 0.4, 0.15 * rad);
  } else if (kind < 0.3) {
    // fingers / a hand: 3–5 parallel rounded bars
    const n = 3 + Math.floor(3 * r()), w = ed * (0.13 + 0.07 * r()), ang = r() * Math.PI, len = ed * (0.8 + 1.2 * r());
    const cx = rx(), cy = ry(), dx = Math.cos(ang), dy = Math.sin(ang);
    const bars: Shape[] = [];
    for (let k = 0; k < n; k++) {
      const off = (k - (n - 1) / 2) * 2.05 * w;
      const ox = cx - dy * off, oy = cy + dx * off, l = len * (0.8 + 0.3 * r());
      bars.push(capsuleShape(ox - dx * l / 2, oy - dy * l / 2, ox + dx * l / 2, oy + dy * l / 2, w));
    }
    shape = union(...bars);
    texture = skinTexture(r, tone, 2 * ed);
  } else if (kind < 0.42) {
    // a face mask over nose and mouth
    const poly: number[] = [];
    for (const i of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) poly.push(...ptOf(pts, i));
    const ny = ptOf(pts, 28)[1] + (ptOf(pts, 30)[1] - ptOf(pts, 28)[1]) * r();
    poly.push(ptOf(pts, 15)[0], ny, ptOf(pts, 1)[0], ny);
    shape = polygonShape(poly);
  } else if (kind < 0.5) {
    // strands of hair over forehead and eyes
    const n = 4 + Math.floor(6 * r()), bars: Shape[] = [];
    for (let k = 0; k < n; k++) {
      const x = rx(), y = fy1 + r() * 0.4 * (fy2 - fy1), l = ed * (0.6 + r()), a = Math.PI / 2 + (r() - 0.5);
      bars.push(capsuleShape(x, y - l / 2 * Math.sin(a), x + l * Math.cos(a), y + l / 2 * Math.sin(a), ed * (0.03 + 0.05 * r())));
    }
    shape = union(...bars);
    texture = solid(...([1, 1, 1].map(() => 10 + 60 * r()) as [number, number, number]));
  } else if (kind < 0.65) {
    // a band or half plane
    const ang = r() * 2 * Math.PI;
    shape = halfPlaneShape(rx(), ry(), Math.cos(ang), Math.sin(ang));
  } else if (kind < 0.85) {
    shape = ellipseShape(rx(), ry(), ed * (0.25 + r()), ed * (0.25 + r()), r() * Math.PI);
  } else {
    const cx = rx(), cy = ry(), w = ed * (0.3 + 1.2 * r()), h = ed * (0.3 + 1.2 * r());
    shape = rectShape(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
  }
  if (!texture) {
    const t = r();
    if (t < 0.2) texture = solid(r() * 255, r() * 255, r() * 255);
    else if (t < 0.32) texture = solid(...([1, 1, 1].map(() => 5 + 50 * r()) as [number, number, number]));
    else if (t < 0.42) texture = solid(...([1, 1, 1].map(() => 200 + 55 * r()) as [number, number, number]));
    else if (t < 0.57) texture = noiseTexture(r, Math.max(1.5, ed * (0.05 + 0.3 * r())));
    else if (t < 0.75) texture = skinTexture(r, tone, 2 * ed);
    else texture = patchTexture(naturals[Math.floor(r() * naturals.length)], 0.5 + r());
  }
  return { shape, texture };
}
