/** The pinned models (models/manifest.json): which files the SDK loads, their sha256 and size. */
import manifest from '../../models/manifest.json' with { type: 'json' };

/** The models the SDK loads and runs. */
export type ModelName = 'fr_detect' | 'fr_landmark' | 'fr_feature' | 'fr_eye';
export const MODEL_NAMES: readonly ModelName[] = ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_eye'];

/** Models loaded on first use only, never at start-up: a plain compare downloads nothing more. */
export type LazyModelName = 'fr_liveness';
export const LAZY_MODEL_NAMES: readonly LazyModelName[] = ['fr_liveness'];
/** Every model the SDK can load. */
export type SdkModelName = ModelName | LazyModelName;

export interface ModelInfo {
  file: string;
  sha256: string;
  bytes: number;
}

/** Every pinned model by name (the SDK's, and fr_pose, which only the attribute evaluation in tools/ loads). */
export const MODELS = manifest.models as Record<SdkModelName, ModelInfo> & Record<string, ModelInfo | undefined>;
