/** The platform's compare_face response, as zod schemas: names, types and units are the platform's. */
import { z } from 'zod';

/** One landmark, in the caller's (decoded, upright) image pixels. */
export const PointSchema = z.strictObject({ x: z.number(), y: z.number() });

/** The per-face object of the platform's compare_face response (see ../shared/spec/API.md). */
export const FaceSchema = z.strictObject({
  x1: z.number().int(),
  y1: z.number().int(),
  x2: z.number().int(),
  y2: z.number().int(),
  landmark_68: z.array(PointSchema).length(68),
  eye_dist: z.number().nonnegative(),
  face_luminance: z.number().min(0).max(255),
  face_occlusion: z.number().min(0).max(1),
  face_quality: z.number().min(0).max(1),
  left_eye_closed: z.number().min(0).max(1),
  right_eye_closed: z.number().min(0).max(1),
  mouth_opened: z.number().min(0).max(1),
  yaw: z.number().min(-180).max(180),
  pitch: z.number().min(-180).max(180),
  roll: z.number().min(-180).max(180),
});

export const COMPARE_RESULTS = ['Same person', 'Different person'] as const;

/** The platform's compare_face scan: exactly these keys, no more. */
export const CompareResultSchema = z.strictObject({
  id: z.uuid(),
  // The platform writes a local date-time without offset ("2024-05-01T12:12:06.090098"); we write UTC with Z.
  created: z.iso.datetime({ local: true, offset: true }),
  channel: z.string(),
  reference: z.string(),
  compare_result: z.enum(COMPARE_RESULTS),
  compare_similarity: z.number().min(0).max(1),
  face1: FaceSchema,
  face2: FaceSchema,
});

export type Point = z.infer<typeof PointSchema>;
export type Face = z.infer<typeof FaceSchema>;
export type CompareResult = z.infer<typeof CompareResultSchema>;
