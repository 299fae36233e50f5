/**
 * Head pose from the 68 landmarks: a weighted least-squares fit of the 3D mean face
 * (mean-face.ts) under scaled orthography, then Tait–Bryan angles with the platform's signs.
 * Costs ~0.1 ms; the fr_pose network agreed worse with AFW's annotated geometry, was less
 * mirror-consistent and costs 20+ ms (docs/attributes.md).
 */
import type { Landmarks68 } from '../landmarks.js';
import { DEG } from './geometry.js';
import { rodrigues, mul3, solve } from './linalg.js';
import { MEAN_FACE_3D } from './mean-face.js';

const N = 68;

/**
 * Depth of the fitted face relative to the factorised mean face. At the factorisation's own depth
 * every yaw came out ~20 % smaller than fr_pose's, a network trained on 3D-model pose labels (slope
 * 1.22 on AFW); at 0.8 the slope is 1.01 and the fit's residual is lower too (docs/attributes.md).
 */
export const DEPTH_SCALE = 0.8;

/**
 * The factorised face's own frame has its eye–mouth line square to the camera, but a person
 * looking straight into a camera holds that line tilted back: Yale's frontal photos (normal,
 * centerlight, glasses, noglasses, happy, sad; 89 faces) fit at a median 10.0° nose-up in that
 * frame. The model is pre-tilted by that much so a frontal face reads pitch 0.
 */
export const FRONTAL_TILT_DEG = 10;

/** The face model the fit uses: the mean face, depth-scaled and tilted to a frontal pose (x, y, z per point). */
export const POSE_MODEL: readonly number[] = (() => {
  const a = -FRONTAL_TILT_DEG / DEG; // Rx(a < 0) lifts the nose tip (z < 0) toward the image top
  const c = Math.cos(a), s = Math.sin(a);
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const x = MEAN_FACE_3D[3 * i], y = MEAN_FACE_3D[3 * i + 1], z = MEAN_FACE_3D[3 * i + 2] * DEPTH_SCALE;
    out.push(x, c * y - s * z, s * y + c * z);
  }
  return out;
})();

/** Head pose in degrees, the platform's conventions (docs/attributes.md). */
export interface HeadPose {
  /** Negative when the nose points toward the image's right. */
  yaw: number;
  /** Positive when the face tilts down (nose toward the image's bottom); 0 looking into the camera. */
  pitch: number;
  /** The eye line's angle in image coordinates (y down): positive when it descends to the image's right. */
  roll: number;
}

/**
 * Per-point weights of the fit. The jaw contour is a silhouette that slides over the cheek as the
 * head turns, and the inner lips move with expression: both count less than the rigid brows,
 * eyes and nose.
 */
export const POSE_WEIGHTS: readonly number[] = Array.from({ length: N }, (_, i) => (i <= 16 ? 0.3 : i >= 60 ? 0.3 : i >= 48 ? 0.6 : 1));

export interface PoseFit {
  /** Rotation, model → camera (row-major 3x3); camera x right, y down, z into the scene. */
  R: Float64Array;
  /** Pixels per model unit (model unit = distance between the eye centres). */
  scale: number;
  tx: number;
  ty: number;
  /** Weighted RMS of the fit's residuals, in model units (scale-free). */
  rms: number;
}

/** Fits the mean face to the points: p ≈ scale · (R X)ₓᵧ + t, Gauss–Newton from a linear start. */
export function fitPose(pts: ArrayLike<number>, weights: readonly number[] = POSE_WEIGHTS, iterations = 8): PoseFit {
  const X = POSE_MODEL;
  let W = 0, mx = [0, 0, 0], mp = [0, 0];
  for (let i = 0; i < N; i++) {
    const w = weights[i];
    W += w;
    for (let c = 0; c < 3; c++) mx[c] += w * X[3 * i + c];
    mp[0] += w * pts[2 * i]; mp[1] += w * pts[2 * i + 1];
  }
  mx = mx.map((v) => v / W); mp = mp.map((v) => v / W);

  // Linear start: the 2x3 affine A minimising Σ w |p − A X|² on centred points.
  const XtX = new Float64Array(9), PtX = new Float64Array(6);
  for (let i = 0; i < N; i++) {
    const w = weights[i];
    const x = [X[3 * i] - mx[0], X[3 * i + 1] - mx[1], X[3 * i + 2] - mx[2]];
    const p = [pts[2 * i] - mp[0], pts[2 * i + 1] - mp[1]];
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) XtX[a * 3 + b] += w * x[a] * x[b];
      PtX[a] += w * p[0] * x[a];
      PtX[3 + a] += w * p[1] * x[a];
    }
  }
  const r1 = solve(XtX, PtX.subarray(0, 3), 3), r2 = solve(XtX, PtX.subarray(3, 6), 3);
  let R = nearestRotation(r1, r2);
  let scale = (Math.hypot(...r1) + Math.hypot(...r2)) / 2;
  let tx = mp[0] - scale * (R[0] * mx[0] + R[1] * mx[1] + R[2] * mx[2]);
  let ty = mp[1] - scale * (R[3] * mx[0] + R[4] * mx[1] + R[5] * mx[2]);

  let rms = 0;
  for (let it = 0; it <= iterations; it++) {
    // Unknowns: small rotation ω (applied on the left), scale, tx, ty.
    const H = new Float64Array(36), g = new Float64Array(6);
    let sse = 0;
    for (let i = 0; i < N; i++) {
      const w = weights[i];
      const x = X[3 * i], y = X[3 * i + 1], z = X[3 * i + 2];
      const Yx = R[0] * x + R[1] * y + R[2] * z, Yy = R[3] * x + R[4] * y + R[5] * z, Yz = R[6] * x + R[7] * y + R[8] * z;
      const ru = scale * Yx + tx - pts[2 * i], rv = scale * Yy + ty - pts[2 * i + 1];
      sse += w * (ru * ru + rv * rv);
      // d(ω × Y) / dω, projected: u row (0, s Yz, −s Yy), v row (−s Yz, 0, s Yx)
      const ju = [0, scale * Yz, -scale * Yy, Yx, 1, 0];
      const jv = [-scale * Yz, 0, scale * Yx, Yy, 0, 1];
      for (let a = 0; a < 6; a++) {
        g[a] -= w * (ju[a] * ru + jv[a] * rv);
        for (let b = 0; b < 6; b++) H[a * 6 + b] += w * (ju[a] * ju[b] + jv[a] * jv[b]);
      }
    }
    rms = Math.sqrt(sse / W) / Math.max(scale, 1e-9);
    if (it === iterations) break;
    for (let a = 0; a < 6; a++) H[a * 6 + a] *= 1 + 1e-9;
    const d = solve(H, g, 6);
    R = mul3(rodrigues([d[0], d[1], d[2]]), R);
    scale += d[3]; tx += d[4]; ty += d[5];
    if (Math.hypot(d[0], d[1], d[2]) < 1e-7) {
      rms = residual(pts, weights, R, scale, tx, ty) / Math.max(scale, 1e-9);
      break;
    }
  }
  return { R, scale, tx, ty, rms };
}

function residual(pts: ArrayLike<number>, weights: readonly number[], R: Float64Array, s: number, tx: number, ty: number): number {
  const X = POSE_MODEL;
  let sse = 0, W = 0;
  for (let i = 0; i < N; i++) {
    const x = X[3 * i], y = X[3 * i + 1], z = X[3 * i + 2];
    const u = s * (R[0] * x + R[1] * y + R[2] * z) + tx - pts[2 * i];
    const v = s * (R[3] * x + R[4] * y + R[5] * z) + ty - pts[2 * i + 1];
    sse += weights[i] * (u * u + v * v);
    W += weights[i];
  }
  return Math.sqrt(sse / W);
}

/** The rotation whose first two rows are closest to the (scaled) rows r1, r2. */
function nearestRotation(r1: ArrayLike<number>, r2: ArrayLike<number>): Float64Array {
  const n1 = Math.hypot(r1[0], r1[1], r1[2]), n2 = Math.hypot(r2[0], r2[1], r2[2]);
  const a = [r1[0] / n1, r1[1] / n1, r1[2] / n1], b = [r2[0] / n2, r2[1] / n2, r2[2] / n2];
  // Symmetric orthogonalisation, then normalise: splits the correction between the two rows.
  const d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const u = a.map((v, i) => v - (d / 2) * b[i]), v = b.map((x, i) => x - (d / 2) * a[i]);
  const nu = Math.hypot(...u), nv = Math.hypot(...v);
  const x = u.map((t) => t / nu), y = v.map((t) => t / nv);
  const z = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
  return Float64Array.of(...x, ...y, ...z);
}

/**
 * Tait–Bryan angles of R = Rz(roll) · Ry(yaw) · Rx(pitch): the head nods about its ear axis, turns
 * about the vertical, and the result leans in the image plane, so roll is the in-image tilt of
 * the turned head. With camera axes x right, y down, z forward these come out in the platform's
 * signs directly: Ry(yaw > 0) swings the nose tip (z < 0) toward the image's left, Rx(pitch > 0)
 * moves it down, Rz(roll > 0) turns the eye line clockwise on screen (docs/attributes.md).
 */
export function poseAngles(R: ArrayLike<number>): HeadPose {
  const yaw = Math.asin(Math.max(-1, Math.min(1, -R[6]))) * DEG;
  const pitch = Math.atan2(R[7], R[8]) * DEG;
  const roll = Math.atan2(R[3], R[0]) * DEG;
  return { yaw, pitch, roll };
}

/** Head pose of a face from its 68 landmarks. */
export function headPose(pts: Landmarks68): HeadPose {
  return poseAngles(fitPose(pts).R);
}
