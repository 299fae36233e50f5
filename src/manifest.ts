import manifest from '../models/manifest.json' with { type: 'json' };

/** The models the SDK loads and runs. */
export type ModelName = 'fr_detect' | 'fr_landmark' | 'fr_feature' | 'fr_eye';
export const MODEL_NAMES: readonly ModelName[] = ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_eye'];

/**
 * Models pinned and fetched with the others but used only by the evaluation scripts and tests
 * (never loaded by the SDK, never bundled): fr_pose, compared with the landmark pose fit.
 */
export type ToolModelName = 'fr_pose';
export const TOOL_MODEL_NAMES: readonly ToolModelName[] = ['fr_pose'];

export interface ModelInfo {
  file: string;
  sha256: string;
  bytes: number;
}
/** The pinned models (models/manifest.json): file, sha256, size. */
export const MODELS = manifest.models as Record<ModelName | ToolModelName, ModelInfo>;
export const MODEL_SOURCE = manifest.source;
