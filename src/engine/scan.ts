/** What a comparison adds to two described faces: the quality gate and the platform's scan. */
import { calibratedSimilarity, compareVerdict } from '../contract/calibration.js';
import { FaceError, formatIssues } from '../contract/errors.js';
import type { CompareSettings } from '../contract/options.js';
import { CompareResultSchema, type CompareResult } from '../contract/result.js';
import type { AnalyzedFace } from './describe.js';

/** LOW_QUALITY when `minQuality` is set and face `image` (1 or 2) is below it. */
export function checkQuality({ face }: AnalyzedFace, image: number, opts: CompareSettings): void {
  if (opts.minQuality !== undefined && face.face_quality < opts.minQuality) {
    throw new FaceError('LOW_QUALITY', `face ${image} has quality ${face.face_quality.toFixed(2)}, below minQuality ${opts.minQuality}`, {
      quality: face.face_quality, minQuality: opts.minQuality,
    });
  }
}

/** The platform's scan; never a silent wrong answer: one that fails the contract (a NaN attribute, say) is INTERNAL. */
export function scanOf(face1: AnalyzedFace, face2: AnalyzedFace, cos: number, opts: CompareSettings): CompareResult {
  const similarity = calibratedSimilarity(cos);
  const scan: CompareResult = {
    id: crypto.randomUUID(),
    created: new Date().toISOString(),
    channel: opts.channel,
    reference: opts.reference,
    compare_result: compareVerdict(similarity, opts.threshold),
    compare_similarity: similarity,
    face1: face1.face,
    face2: face2.face,
  };
  const checked = CompareResultSchema.safeParse(scan);
  if (!checked.success) throw new FaceError('INTERNAL', `the scan fails the compare_face schema: ${formatIssues(checked.error.issues, 'scan')}`);
  return checked.data;
}
