/**
 * Browser entry point.
 *   const fr = await createFaceRecognizer();
 *   const scan = await fr.compareFaces(file1, file2, { channel: 'WEB', reference: '0002' });
 * The REST client and the offline store have their own entries (`face-compare-sdk/platform`,
 * `face-compare-sdk/store`).
 * @module face-compare-sdk
 */
export * from './contract/index.js';
export type { BackendInfo } from './contract/types.js';
export { createFaceRecognizer, type FaceRecognizer } from './browser/recognizer.js';
export type { ImageInput } from './browser/inputs.js';
export { createLivenessGate, type LivenessGate, type LivenessGateOptions, type LivenessGateDecision } from './browser/liveness-gate.js';
