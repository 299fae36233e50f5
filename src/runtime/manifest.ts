/** The pinned models (models/manifest.json): which files the SDK loads, their sha256 and size. */
import manifest from '../../models/manifest.json' with { type: 'json' };

import type { LazyModelName, ModelName, StartupModelName } from '../contract/types.js';

export type { LazyModelName, ModelName, StartupModelName } from '../contract/types.js';

/** The models every recognizer loads at start-up (a compare needs all four). */
export const STARTUP_MODEL_NAMES: readonly StartupModelName[] = ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_eye'];
/** Models loaded on first use only, never at start-up: a plain compare downloads nothing more. */
export const LAZY_MODEL_NAMES: readonly LazyModelName[] = ['fr_liveness'];

export interface ModelInfo {
  file: string;
  sha256: string;
  bytes: number;
}

/** Every pinned model by name (the SDK's, and fr_pose, which only the attribute evaluation in tools/ loads). */
export const MODELS = manifest.models as Record<ModelName, ModelInfo> & Record<string, ModelInfo | undefined>;
