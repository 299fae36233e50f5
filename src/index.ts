/**
 * Browser entry point.
 *   const fr = await createFaceRecognizer();
 *   const scan = await fr.compareFaces(file1, file2, { channel: 'WEB', reference: '0002' });
 * @module face-compare-sdk
 */
export * from './public.js';
export { createFaceRecognizer, type FaceRecognizer } from './browser/recognizer.js';
export type { ImageInput } from './browser/inputs.js';
export {
  createLivenessGate, LIVENESS_GATE_FRAMES,
  type LivenessGate, type LivenessGateOptions, type LivenessGateState, type LivenessGateDecision,
} from './browser/liveness-gate.js';
export type { BackendInfo } from './browser/worker-api.js';
