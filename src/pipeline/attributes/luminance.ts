/** Face brightness. */
import { rectToGrid, warpToTensor, type RgbaImage } from '../image.js';
import { faceOutline, insidePolygon } from './geometry.js';

/** Largest sampling grid side: the warp area-averages, so this bounds the cost whatever the face size. */
const GRID = 48;

/**
 * Mean BT.601 luma (0–255) over the face region: inside the outline of the jaw and brows (brows to
 * chin, ear to ear), so background and hair in the box's corners do not count.
 */
export function faceLuminance(img: RgbaImage, pts: ArrayLike<number>): number {
  const poly = faceOutline(pts);
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (let i = 0; i < poly.length; i += 2) {
    x1 = Math.min(x1, poly[i]); x2 = Math.max(x2, poly[i]);
    y1 = Math.min(y1, poly[i + 1]); y2 = Math.max(y2, poly[i + 1]);
  }
  const w = Math.max(1, x2 - x1), h = Math.max(1, y2 - y1);
  const gw = Math.max(1, Math.min(GRID, Math.round(w))), gh = Math.max(1, Math.min(GRID, Math.round(h)));
  const luma = warpToTensor(img, rectToGrid(x1, y1, w, h, gw, gh), gw, gh, { channels: 'gray', mean: [0], std: [1], border: 0 });
  let sum = 0, n = 0;
  for (let v = 0; v < gh; v++) {
    for (let u = 0; u < gw; u++) {
      const x = x1 + ((u + 0.5) * w) / gw, y = y1 + ((v + 0.5) * h) / gh;
      // Parts of the face cut off by the image edge are unknown, not black.
      if (x < 0 || y < 0 || x >= img.width || y >= img.height || !insidePolygon(x, y, poly)) continue;
      sum += luma[v * gw + u];
      n++;
    }
  }
  return n ? sum / n : luma.reduce((a, b) => a + b, 0) / luma.length;
}
