/**
 * Deterministic stand-in for the platform's face comparison. The server is a test double: it does
 * NOT look at faces. Every number is derived from the two uploads' byte sizes, so the result changes
 * with the input, is the same for the same input, and always satisfies the contract schema.
 */
import { randomUUID } from 'node:crypto';

export interface FakeFace {
  x1: number; y1: number; x2: number; y2: number;
  landmark_68: Array<{ x: number; y: number }>;
  eye_dist: number; face_luminance: number; face_occlusion: number; face_quality: number;
  left_eye_closed: number; right_eye_closed: number; mouth_opened: number;
  yaw: number; pitch: number; roll: number;
}

/** A number in [0, 1) from an integer seed (a fixed LCG step, not a random source). */
function unit(seed: number, salt: number): number {
  const v = (Math.imul(seed ^ (salt * 0x9e3779b1), 1103515245) + 12345) >>> 0;
  return (v % 100_000) / 100_000;
}

export function fakeFace(size: number): FakeFace {
  const w = 80 + (size % 160);
  const h = Math.round(w * 1.2);
  const x1 = 40 + (size % 97);
  const y1 = 30 + (size % 61);
  const cx = x1 + w / 2;
  const cy = y1 + h / 2;
  const landmark_68 = Array.from({ length: 68 }, (_, i) => {
    const a = (i / 68) * 2 * Math.PI;
    return { x: cx + (w / 2.4) * Math.cos(a), y: cy + (h / 2.4) * Math.sin(a) };
  });
  return {
    x1, y1, x2: x1 + w, y2: y1 + h,
    landmark_68,
    eye_dist: w * 0.4,
    face_luminance: 60 + unit(size, 1) * 150,
    face_occlusion: unit(size, 2) * 0.3,
    face_quality: 0.5 + unit(size, 3) * 0.5,
    left_eye_closed: unit(size, 4) * 0.2,
    right_eye_closed: unit(size, 5) * 0.2,
    mouth_opened: unit(size, 6),
    yaw: (unit(size, 7) - 0.5) * 60,
    pitch: (unit(size, 8) - 0.5) * 40,
    roll: (unit(size, 9) - 0.5) * 40,
  };
}

/** The platform's date-time format: local, microseconds, no offset (`2024-05-01T12:12:06.090098`). */
export function platformNow(d = new Date()): string {
  return `${d.toISOString().slice(0, 23)}000`;
}

/** Similarity = ratio of the smaller to the larger upload, squashed into [0.05, 0.95]. */
export function fakeCompare(size1: number, size2: number, channel: string, reference: string) {
  const ratio = Math.min(size1, size2) / Math.max(size1, size2, 1);
  const compare_similarity = 0.05 + 0.9 * ratio;
  return {
    id: randomUUID(),
    created: platformNow(),
    channel,
    reference,
    compare_result: compare_similarity >= 0.7 ? 'Same person' : 'Different person',
    compare_similarity,
    face1: fakeFace(size1),
    face2: fakeFace(size2),
  };
}
