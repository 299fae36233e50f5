import { z } from 'zod';

/** One landmark in source-image pixels. */
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

export const CHANNELS = ['WEB', 'MOBILE', 'OTHER'] as const;

/** Options of one analysis. */
export const AnalyzeOptionsSchema = z.strictObject({
  /** Face score below which detections are dropped (0–1). */
  minScore: z.number().min(0).max(1).optional(),
  /** Refuse images with more than one face (MULTIPLE_FACES) instead of taking the main one. */
  rejectMultipleFaces: z.boolean().optional(),
});

export const CompareOptionsSchema = AnalyzeOptionsSchema.extend({
  channel: z.enum(CHANNELS).default('WEB'),
  reference: z.string().max(256).default(''),
  /** Decision threshold on compare_similarity; the platform's is 0.7. */
  threshold: z.number().min(0).max(1).optional(),
  /**
   * Refuse (LOW_QUALITY) instead of answering when either face's face_quality is below this (0–1).
   * Off by default, like the platform; docs/accuracy.md measures what each value costs and saves.
   */
  minQuality: z.number().min(0).max(1).optional(),
});

export type Point = z.infer<typeof PointSchema>;
export type Face = z.infer<typeof FaceSchema>;
export type CompareResult = z.infer<typeof CompareResultSchema>;
export type Channel = (typeof CHANNELS)[number];
export type AnalyzeOptions = z.input<typeof AnalyzeOptionsSchema>;
export type CompareOptions = z.input<typeof CompareOptionsSchema>;
