/** Image degradations for validating attributes: mirror, blur, brightness, downscale (RGBA in, RGBA out). */
import { rectToGrid, warpToTensor, type RgbaImage } from '../../src/pipeline/image.js';

export function mirror(img: RgbaImage): RgbaImage {
  const { width: W, height: H } = img, data = new Uint8ClampedArray(img.data.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 4; c++) data[(y * W + x) * 4 + c] = img.data[(y * W + W - 1 - x) * 4 + c];
  return { width: W, height: H, data };
}

/** Pixel values times k (clipped at 255), alpha kept. */
export function scaleBrightness(img: RgbaImage, k: number): RgbaImage {
  const data = new Uint8ClampedArray(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? img.data[i] : Math.round(img.data[i] * k);
  return { width: img.width, height: img.height, data };
}

/** Separable Gaussian blur of standard deviation sigma (pixels). */
export function gaussianBlur(img: RgbaImage, sigma: number): RgbaImage {
  const r = Math.ceil(3 * sigma), k: number[] = [];
  for (let i = -r; i <= r; i++) k.push(Math.exp(-(i * i) / (2 * sigma * sigma)));
  const ks = k.reduce((a, b) => a + b);
  const { width: W, height: H } = img;
  const tmp = new Float32Array(W * H * 4), data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r] * img.data[(y * W + Math.min(W - 1, Math.max(0, x + i))) * 4 + c];
    tmp[(y * W + x) * 4 + c] = s / ks;
  }
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r] * tmp[(Math.min(H - 1, Math.max(0, y + i)) * W + x) * 4 + c];
    data[(y * W + x) * 4 + c] = s / ks;
  }
  return { width: W, height: H, data };
}

/** Area-averaged downscale by factor f (< 1). */
export function downscale(img: RgbaImage, f: number): RgbaImage {
  const w = Math.max(1, Math.round(img.width * f)), h = Math.max(1, Math.round(img.height * f));
  const p = warpToTensor(img, rectToGrid(0, 0, img.width, img.height, w, h), w, h, { channels: [0, 1, 2], mean: [0], std: [1], border: 0 });
  const data = new Uint8ClampedArray(w * h * 4), n = w * h;
  for (let i = 0; i < n; i++) { data[4 * i] = p[i]; data[4 * i + 1] = p[n + i]; data[4 * i + 2] = p[2 * n + i]; data[4 * i + 3] = 255; }
  return { width: w, height: h, data };
}

/** The RGBA image as planar RGB floats and back (to paint occluders). */
export function toPlanar(img: RgbaImage): { width: number; height: number; rgb: Float32Array } {
  const n = img.width * img.height, rgb = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[c * n + i] = img.data[4 * i + c];
  return { width: img.width, height: img.height, rgb };
}
export function fromPlanar(p: { width: number; height: number; rgb: Float32Array }): RgbaImage {
  const n = p.width * p.height, data = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) { for (let c = 0; c < 3; c++) data[4 * i + c] = p.rgb[c * n + i]; data[4 * i + 3] = 255; }
  return { width: p.width, height: p.height, data };
}
