import manifest from '../models/manifest.json' with { type: 'json' };

export type ModelName = 'fr_detect' | 'fr_landmark' | 'fr_feature' | 'fr_eye';
export const MODEL_NAMES: readonly ModelName[] = ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_eye'];

export interface ModelInfo {
  file: string;
  sha256: string;
  bytes: number;
}
/** The pinned models (models/manifest.json): file, sha256, size. */
export const MODELS = manifest.models as Record<ModelName, ModelInfo>;
export const MODEL_SOURCE = manifest.source;
