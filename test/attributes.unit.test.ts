/**
 * Attribute maths on real landmarks, no model runs: the platform's example response (its 68 points
 * and the values it reported), the AFW 300-W annotations and real photos' pixels.
 */
import { exactFaceLuminance } from './support/luminance-reference.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEG, eyeDistance, eyeLineAngle, faceLuminance, fitPose, headPose, mouthGapRatio, mouthOpened, poseAngles,
} from '../src/pipeline/attributes/index.js';
import { solve, rodrigues, mul3 } from '../src/pipeline/attributes/linalg.js';
import { symmetricEigen } from './support/eigen.js';
import { MEAN_FACE_3D } from '../src/pipeline/attributes/mean-face.js';
import { POSE_MODEL } from '../src/pipeline/attributes/pose.js';
import { featureMaps, OCC_CELLS, OCC_GRID } from '../src/pipeline/attributes/occlusion.js';
import { faceQuality, qualityFactors } from '../src/pipeline/attributes/quality.js';
import { FLIP_68 } from '../src/pipeline/landmarks.js';
import { afwFaces, DATA, LFW, loadRgba } from './helpers.js';

const example = JSON.parse(readFileSync(`${DATA}../spec/compare_face.example.json`, 'utf8'));
const platform = ['face1', 'face2'].map((k) => example[k]);
const points = (f: { landmark_68: { x: number; y: number }[] }) => Float32Array.from(f.landmark_68.flatMap((p) => [p.x, p.y]));
const mirrorPts = (p: ArrayLike<number>, W: number) => Float32Array.from({ length: 136 }, (_, i) => (i % 2 ? p[2 * FLIP_68[i >> 1] + 1] : W - p[2 * FLIP_68[i >> 1]]));

describe("the platform's example response as an oracle", () => {
  it('eye_dist is the distance between the eye centres (within 2.5 % of the platform)', () => {
    for (const f of platform) expect(Math.abs(eyeDistance(points(f)) / f.eye_dist - 1)).toBeLessThan(0.025);
  });
  it('roll has the sign of the eye-line angle in image coordinates and its size within 7°', () => {
    for (const f of platform) {
      const { roll } = headPose(points(f));
      expect(Math.sign(roll)).toBe(Math.sign(f.roll));
      expect(Math.sign(eyeLineAngle(points(f)))).toBe(Math.sign(f.roll));
      expect(Math.abs(roll - f.roll)).toBeLessThan(7);
    }
  });
  it('yaw is negative when the nose points toward the image right, as both example faces', () => {
    for (const f of platform) {
      const { yaw } = headPose(points(f));
      expect(yaw).toBeLessThan(-10);
      expect(Math.abs(yaw - f.yaw)).toBeLessThan(10);
    }
  });
  it('pitch comes out positive for both example faces (nose below a frontal face\'s: pitch is down-positive)', () => {
    for (const f of platform) expect(Math.sign(headPose(points(f)).pitch)).toBe(Math.sign(f.pitch));
  });
  it('mouth opening ranks the two faces as the platform does', () => {
    const [a, b] = platform;
    expect(Math.sign(mouthGapRatio(points(a)) - mouthGapRatio(points(b)))).toBe(Math.sign(a.mouth_opened - b.mouth_opened));
    expect(mouthOpened(points(a))).toBeGreaterThan(mouthOpened(points(b)));
  });
  it('a face like the example ones gets the platform\'s quality 1.0 from our factors', () => {
    for (const f of platform) {
      const { yaw, pitch } = headPose(points(f));
      expect(faceQuality({ sharpness: 100, eyeDist: f.eye_dist, yaw, pitch, luminance: f.face_luminance, occlusion: f.face_occlusion })).toBe(1);
    }
  });
});

describe('pose fit on the AFW annotations', () => {
  const faces = afwFaces().slice(0, 120);
  it('mirrored points flip yaw and roll and keep pitch (within 0.5°)', () => {
    for (const f of faces) {
      const p = Float32Array.from(f.points.flat());
      const a = headPose(p), m = headPose(mirrorPts(p, 1000));
      expect(Math.abs(a.yaw + m.yaw)).toBeLessThan(0.5);
      expect(Math.abs(a.pitch - m.pitch)).toBeLessThan(0.5);
      expect(Math.abs(a.roll + m.roll)).toBeLessThan(0.5);
    }
  });
  it('rotating the annotated points in the image plane moves roll by the same angle', () => {
    for (const f of faces.slice(0, 40)) {
      const p = Float32Array.from(f.points.flat()), a = headPose(p);
      const t = 20 / DEG, c = Math.cos(t), s = Math.sin(t);
      const q = p.map((_, i) => (i % 2 ? s * p[i - 1] + c * p[i] : c * p[i] - s * p[i + 1]));
      const b = headPose(q);
      expect(Math.abs(((b.roll - a.roll - 20 + 540) % 360) - 180)).toBeLessThan(0.5);
      expect(Math.abs(b.yaw - a.yaw)).toBeLessThan(0.5);
    }
  });
  it('the fit explains the annotations: residual under 10 % of the eye distance for 80 % of faces', () => {
    const rms = faces.map((f) => fitPose(Float32Array.from(f.points.flat())).rms).sort((a, b) => a - b);
    expect(rms[Math.floor(0.8 * rms.length)]).toBeLessThan(0.1);
    // A face-shaped point set fits far better than the same points shuffled among the indices.
    const p = faces[0].points.flat(), shuffled = Float32Array.from({ length: 136 }, (_, i) => p[2 * ((i >> 1) * 7 % 68) + (i % 2)]);
    expect(fitPose(shuffled).rms).toBeGreaterThan(3 * rms[Math.floor(0.8 * rms.length)]);
  });
  it('a projection of the mean face at a known pose comes back at that pose', () => {
    // Rz(roll) Ry(yaw) Rx(pitch) applied to the model, orthographic projection, 80 px per unit.
    const [yaw, pitch, roll] = [-30, 12, 8];
    const R = mul3(rodrigues([0, 0, roll / DEG]), mul3(rodrigues([0, yaw / DEG, 0]), rodrigues([pitch / DEG, 0, 0])));
    const a = poseAngles(fitPose(projectModel(R, 80)).R);
    expect(a.yaw).toBeCloseTo(yaw, 2);
    expect(a.pitch).toBeCloseTo(pitch, 2);
    expect(a.roll).toBeCloseTo(roll, 2);
    // Signs as documented: yaw < 0 swings the nose tip to the image's right, pitch > 0 lowers it.
    const nose = projectModel(R, 80).slice(60, 62), front = projectModel(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), 80).slice(60, 62);
    expect(nose[0]).toBeGreaterThan(front[0]);
    expect(nose[1]).toBeGreaterThan(front[1]);
  });
  it('the mean face is symmetric and its nose stands out toward the camera', () => {
    for (let i = 0; i < 68; i++) {
      const j = FLIP_68[i];
      expect(MEAN_FACE_3D[3 * i]).toBeCloseTo(-MEAN_FACE_3D[3 * j], 3);
      expect(MEAN_FACE_3D[3 * i + 2]).toBeCloseTo(MEAN_FACE_3D[3 * j + 2], 3);
    }
    expect(MEAN_FACE_3D[3 * 30 + 2]).toBeLessThan(MEAN_FACE_3D[3 * 39 + 2] - 0.3);
  });
});

/** The fit's own face model at rotation R, orthographic, s px per unit. */
function projectModel(R: Float64Array, s: number): Float32Array {
  const out = new Float32Array(136), M = POSE_MODEL;
  for (let i = 0; i < 68; i++) {
    const m = [M[3 * i], M[3 * i + 1], M[3 * i + 2]];
    out[2 * i] = s * (R[0] * m[0] + R[1] * m[1] + R[2] * m[2]) + 300;
    out[2 * i + 1] = s * (R[3] * m[0] + R[4] * m[1] + R[5] * m[2]) + 300;
  }
  return out;
}

describe('linear algebra', () => {
  it('solves a system and diagonalises a symmetric matrix built from AFW points', () => {
    const p = afwFaces()[0].points.slice(0, 4).flat();
    const A = Float64Array.from({ length: 16 }, (_, k) => p[(k * 3) % 8] * (k % 5 === 0 ? 3 : 1) + (k % 4 === k >> 2 ? 50 : 0));
    const x = Float64Array.of(1, -2, 3, 0.5);
    const b = Float64Array.from({ length: 4 }, (_, r) => A[4 * r] * x[0] + A[4 * r + 1] * x[1] + A[4 * r + 2] * x[2] + A[4 * r + 3] * x[3]);
    solve(A, b, 4).forEach((v, i) => expect(v).toBeCloseTo(x[i], 6));
    const S = Float64Array.from({ length: 16 }, (_, k) => A[k] + A[4 * (k % 4) + (k >> 2)]);
    const { values, vectors } = symmetricEigen(S, 4);
    for (let c = 0; c < 4; c++) {
      for (let r = 0; r < 4; r++) {
        let sv = 0;
        for (let k = 0; k < 4; k++) sv += S[4 * r + k] * vectors[4 * k + c];
        expect(sv).toBeCloseTo(values[c] * vectors[4 * r + c], 6);
      }
    }
    expect(values[0]).toBeGreaterThanOrEqual(values[3]);
  });
});

describe('luminance and occlusion features on real pixels', () => {
  it('face_luminance equals the exact per-pixel mean inside the face outline (±1.5)', async () => {
    const img = await loadRgba(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`);
    const pts = Float32Array.from(afwLikePoints(img.width));
    expect(Math.abs(faceLuminance(img, pts) - exactFaceLuminance(img, pts))).toBeLessThan(1.5);
  });
  it('the occlusion feature maps ignore exposure: a photo at 60 % brightness gives the same luma maps', async () => {
    const img = await loadRgba(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`);
    // A 28x28 RGB grid straight from the photo's centre, and the same at 0.6 brightness.
    const rgb = new Float32Array(3 * OCC_CELLS), dim = new Float32Array(3 * OCC_CELLS);
    for (let y = 0; y < OCC_GRID; y++) for (let x = 0; x < OCC_GRID; x++) for (let c = 0; c < 3; c++) {
      const v = img.data[4 * ((70 + 4 * y) * img.width + 70 + 4 * x) + c];
      rgb[c * OCC_CELLS + y * OCC_GRID + x] = v; dim[c * OCC_CELLS + y * OCC_GRID + x] = 0.6 * v;
    }
    const mask = new Uint8Array(OCC_CELLS).fill(1);
    const a = featureMaps(rgb, mask), b = featureMaps(dim, mask);
    let d = 0, max = 0;
    for (let i = 0; i < 2 * OCC_CELLS; i++) { d += Math.abs(a[i] - b[i]) / (2 * OCC_CELLS); max = Math.max(max, Math.abs(a[i] - b[i])); }
    expect(d).toBeLessThan(0.05);
    expect(max).toBeLessThan(0.3);
  });
});

describe('quality factors', () => {
  it('each factor is 1 in its working range and 0 far outside it', () => {
    const good = { sharpness: 150, eyeDist: 40, yaw: 5, pitch: 3, luminance: 120, occlusion: 0.02 };
    expect(Object.values(qualityFactors(good)).every((v) => v === 1)).toBe(true);
    expect(faceQuality({ ...good, sharpness: 3 })).toBe(0);
    expect(faceQuality({ ...good, eyeDist: 8 })).toBe(0);
    expect(faceQuality({ ...good, yaw: -75 })).toBe(0);
    expect(faceQuality({ ...good, luminance: 10 })).toBe(0);
    expect(faceQuality({ ...good, occlusion: 0.6 })).toBe(0);
    expect(faceQuality({ ...good, yaw: 45 })).toBeGreaterThan(faceQuality({ ...good, yaw: 60 }));
  });
});

/** The mean face drawn frontally over an LFW photo's face region (LFW photos are centred, ~45 px eyes). */
function afwLikePoints(W: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 68; i++) out.push(W / 2 + 45 * MEAN_FACE_3D[3 * i], W / 2 + 10 + 45 * MEAN_FACE_3D[3 * i + 1]);
  return out;
}
