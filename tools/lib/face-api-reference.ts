/**
 * face-api's own FaceRecognitionNet on tfjs's pure-JS CPU backend, as the reference the ONNX
 * conversion is checked against. No extra dependency: face-api.esm.js bundles tfjs 4.22 (core +
 * cpu backend), and the weights go through tfjs's own io.decodeWeights, independent of ours.
 *
 * The bundle is built for browsers: its tfjs sees `process.versions.node` and sets up a Node
 * platform from a stubbed-out `util` module, which throws at import. So the import runs with
 * `process.versions.node` hidden, and we give tfjs the few platform functions it needs ourselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureFaceApi } from './face-api-package.js';

/** The slice of the tfjs API this module uses (the bundle has no usable types). */
interface Tf {
  setPlatform(name: string, platform: object): void;
  setBackend(name: string): Promise<boolean>;
  io: { decodeWeights(buffer: ArrayBuffer, specs: unknown[]): Record<string, unknown> };
  tensor4d(values: Float32Array, shape: [number, number, number, number]): { dispose(): void };
}

export interface FaceApiReference {
  /** Descriptor of a 150x150 RGB image given as HWC float values 0–255 (face-api normalises it itself). */
  descriptor(hwc: Float32Array): Promise<Float32Array>;
}

export async function loadFaceApiReference(): Promise<FaceApiReference> {
  const dir = ensureFaceApi();
  const versions = process.versions;
  Object.defineProperty(process, 'versions', { value: { ...versions, node: undefined }, configurable: true, writable: true });
  let faceapi;
  try {
    faceapi = await import(pathToFileURL(join(dir, 'dist', 'face-api.esm.js')).href);
  } finally {
    Object.defineProperty(process, 'versions', { value: versions, configurable: true, writable: true });
  }
  faceapi.env.initialize(); // face-api's own Node detection, now that process.versions is back
  const tf = faceapi.tf as Tf;
  tf.setPlatform('node', {
    fetch: globalThis.fetch,
    now: () => performance.now(),
    encode: (s: string) => new TextEncoder().encode(s),
    decode: (b: Uint8Array, enc: string) => new TextDecoder(enc).decode(b),
    isTypedArray: (a: unknown) => ArrayBuffer.isView(a) && !(a instanceof DataView),
    setTimeoutCustom: (f: () => void, ms: number) => setTimeout(f, ms),
  });
  await tf.setBackend('cpu');

  const modelDir = join(dir, 'model');
  const manifest = JSON.parse(readFileSync(join(modelDir, 'face_recognition_model-weights_manifest.json'), 'utf8'));
  const bin = readFileSync(join(modelDir, manifest[0].paths[0]));
  const net = new faceapi.FaceRecognitionNet();
  net.loadFromWeightMap(tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length), manifest[0].weights));
  return {
    async descriptor(hwc) {
      const x = tf.tensor4d(hwc, [1, 150, 150, 3]);
      try {
        return Float32Array.from(await net.computeFaceDescriptor(x));
      } finally {
        x.dispose();
      }
    },
  };
}
