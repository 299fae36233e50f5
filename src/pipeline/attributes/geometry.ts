/** Point helpers shared by the attribute modules. Landmarks are a flat [x0, y0, x1, y1, …] array. */
import { centroid, LEFT_EYE, RIGHT_EYE } from '../landmarks.js';

export const DEG = 180 / Math.PI;
export const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export type Point = [number, number];
export const pt = (pts: ArrayLike<number>, i: number): Point => [pts[2 * i], pts[2 * i + 1]];
export const dist = (p: Point, q: Point) => Math.hypot(p[0] - q[0], p[1] - q[1]);

/** Distance between the eye centres (means of points 36–41 and 42–47), pixels. The platform's eye_dist. */
export function eyeDistance(pts: ArrayLike<number>): number {
  return dist(centroid(pts, RIGHT_EYE), centroid(pts, LEFT_EYE));
}

/** Angle (radians, image coordinates, y down) of the line from the subject's right eye centre to the left. */
export function eyeLineAngle(pts: ArrayLike<number>): number {
  const [ax, ay] = centroid(pts, RIGHT_EYE), [bx, by] = centroid(pts, LEFT_EYE);
  return Math.atan2(by - ay, bx - ax);
}

/** The face region's outline: the jaw from ear to ear (0–16), back along the brows (26 → 17). */
export const FACE_OUTLINE: readonly number[] = [...Array.from({ length: 17 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 26 - i)];

/** The outline's vertices as a flat [x0, y0, …] array. */
export function faceOutline(pts: ArrayLike<number>): Float64Array {
  return Float64Array.from(FACE_OUTLINE.flatMap((i) => pt(pts, i)));
}

/** Even–odd rule: is (x, y) inside the polygon given as a flat vertex array? */
export function insidePolygon(x: number, y: number, poly: ArrayLike<number>): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
