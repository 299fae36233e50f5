/**
 * A TFJS graph model run by tfjs itself (pure-JS CPU backend), as the reference an ONNX conversion
 * is checked against. No extra dependency: face-api's bundle carries tfjs 4.22 with its converter
 * (loadGraphModel, every op these models use). tools/lib/face-api-reference.ts already knows how
 * to import that browser bundle in Node; once it has, a second import of the same file is the
 * same, set-up module instance, whose `tf` we use here.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FACE_API_DIR } from './face-api-package.js';
import { loadFaceApiReference } from './face-api-reference.js';
import type { TfjsGraphModel } from './tfjs-graph-onnx.js';

interface TfTensor { data(): Promise<Float32Array>; dispose(): void }
interface Tf {
  io: { fromMemory(artifacts: object): unknown };
  loadGraphModel(handler: unknown): Promise<{ execute(x: TfTensor): TfTensor }>;
  tensor4d(values: Float32Array, shape: [number, number, number, number]): TfTensor;
}

export interface TfjsGraphReference {
  /** The model's output for one NHWC [1, h, w, c] input. */
  run(nhwc: Float32Array, shape: [number, number, number, number]): Promise<Float32Array>;
}

export async function loadTfjsGraphReference(model: TfjsGraphModel, readShard: (path: string) => Uint8Array): Promise<TfjsGraphReference> {
  await loadFaceApiReference();
  const tf = (await import(pathToFileURL(join(FACE_API_DIR, 'dist', 'face-api.esm.js')).href)).tf as Tf;
  const group = model.weightsManifest;
  const shards = group.flatMap((g) => g.paths.map(readShard));
  const all = new Uint8Array(shards.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const s of shards) { all.set(s, o); o += s.length; }
  const net = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: model.modelTopology,
    weightSpecs: group.flatMap((g) => g.weights),
    weightData: all.buffer,
  }));
  return {
    async run(nhwc, shape) {
      const x = tf.tensor4d(nhwc, shape);
      const y = net.execute(x);
      try {
        return Float32Array.from(await y.data());
      } finally {
        x.dispose();
        y.dispose();
      }
    },
  };
}
