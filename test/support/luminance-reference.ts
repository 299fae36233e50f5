/** Brute-force reference implementations that the shipped, faster code is validated against. */
import { faceOutline, insidePolygon } from '../../src/pipeline/attributes/index.js';
import type { RgbaImage } from '../../src/pipeline/image.js';
import type { Landmarks68 } from '../../src/pipeline/landmarks.js';

/** Exact mean BT.601 luma of every source pixel whose centre lies inside the face outline. */
export function exactFaceLuminance(img: RgbaImage, pts: Landmarks68): number {
  const poly = faceOutline(pts);
  let s = 0, n = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!insidePolygon(x + 0.5, y + 0.5, poly)) continue;
      const i = 4 * (y * img.width + x);
      s += 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
      n++;
    }
  }
  return s / n;
}
