/**
 * Internal entry (`face-compare-sdk/internal`) for the research tools in tools/: the pipeline's
 * stages and maths. Not a public API: names here may change in any release.
 */
export * from './pipeline/image.js';
export * from './pipeline/detect.js';
export * from './pipeline/landmarks.js';
export * from './pipeline/align.js';
export * from './pipeline/similarity.js';
export * from './pipeline/liveness.js';
export * from './pipeline/attributes/index.js';
export { solve } from './pipeline/attributes/linalg.js';
export { OCCLUSION_MODEL } from './pipeline/attributes/occlusion-model.js';
export { featureMaps, standardise, cellInputs, occludedShare, OCC_CELLS, OCC_INPUTS, OCC_MAPS, type OcclusionModel } from './pipeline/attributes/occlusion.js';
export * from './pipeline/prepared.js';
export * from './engine/face-engine.js';
export { MODELS, STARTUP_MODEL_NAMES, LAZY_MODEL_NAMES, type ModelInfo, type StartupModelName, type LazyModelName, type ModelName } from './runtime/manifest.js';
export { Model, sha256Hex, type Ort, type ModelLoader } from './runtime/session.js';
export * from './node/index.js';
export { createNodeEngine, fileModelLoader, DEFAULT_MODELS_DIR } from './node/models.js';
export { decodeNodeImage } from './node/decode.js';
export { cosineForSimilarity, CALIBRATION, type Calibration } from './contract/calibration.js';
export { AnalyzeOptionsSchema, LivenessOptionsSchema } from './contract/options.js';
export { bestThreshold, ratesAt, rocAuc, tarAtFar, type ScoredPair } from './node/metrics.js';
export { readPairsCsv, type PairRow } from './node/pairs.js';
