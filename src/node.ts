/**
 * Node entry point: the same pipeline in-process, images decoded with sharp, models read from disk.
 *   import { createFaceRecognizer } from 'face-compare-sdk/node';
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaceEngine, prepareImage, type AnalyzedFace, type PreparedImage } from './engine.js';
import { FaceError, withImage } from './errors.js';
import type { RgbaImage } from './image.js';
import { MAX_INPUT_PIXELS } from './limits.js';
import * as ort from 'onnxruntime-web';
import type { ModelLoader } from './models.js';
import type { AnalyzeOptions, CompareOptions, CompareResult, Face } from './schema.js';
import { serialQueue } from './serial.js';
import { Stopwatch, type StageTimings } from './timing.js';

export * from './public.js';

/** What Node accepts: a file path, encoded bytes (JPEG/PNG/WebP/GIF/…), or raw RGBA. */
export type NodeImageInput = string | Buffer | Uint8Array | RgbaImage;

export interface NodeRecognizerOptions {
  /** Folder holding the .onnx files (default: the package's models/). */
  modelsDir?: string;
  /** onnxruntime-web wasm threads (default: all cores up to 4; 1 disables threading). */
  numThreads?: number;
}

export interface NodeFaceRecognizer {
  compareFaces(a: NodeImageInput, b: NodeImageInput, options?: CompareOptions): Promise<CompareResult>;
  /** compareFaces plus the raw cosine and per-stage timings, for evaluation tools. */
  compareDetailed(a: NodeImageInput, b: NodeImageInput, options?: CompareOptions): Promise<{ result: CompareResult; cosine: number; timings: StageTimings }>;
  analyze(image: NodeImageInput, options?: AnalyzeOptions): Promise<Face[]>;
  /** Face embedding (512-d, L2-normalised) of an image's main face. */
  embed(image: NodeImageInput, options?: AnalyzeOptions): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** The package's models/ folder, from src/ (tsx) or from dist/node/ (the build). */
export const DEFAULT_MODELS_DIR = ['..', '../..']
  .map((up) => join(dirname(fileURLToPath(import.meta.url)), up, 'models'))
  .find((dir) => existsSync(join(dir, 'manifest.json'))) ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'models');

export function fileModelLoader(dir: string): ModelLoader {
  return async (info) => new Uint8Array(await readFile(join(dir, info.file)));
}

/** The bare pipeline engine on Node's onnxruntime-web build, models from `dir`. */
export function createNodeEngine(dir = DEFAULT_MODELS_DIR): Promise<FaceEngine> {
  return FaceEngine.create({ ort, loader: fileModelLoader(dir) });
}

/** Decodes any input to an RGBA buffer ready for the pipeline. */
export async function decodeNodeImage(input: NodeImageInput): Promise<PreparedImage> {
  if (isRgba(input)) return prepareImage(checkRgba(input));
  let bytes: Buffer;
  if (typeof input === 'string') {
    try {
      bytes = await readFile(input);
    } catch (e) {
      throw new FaceError('IMAGE_DECODE', `cannot read ${input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  if (bytes.length === 0) throw new FaceError('IMAGE_DECODE', 'the image is empty (0 bytes)');
  const { default: sharp } = await import('sharp');
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new FaceError('IMAGE_DECODE', `not a decodable image: ${(e as Error).message}`);
  }
  const w = meta.autoOrient?.width ?? meta.width ?? 0, h = meta.autoOrient?.height ?? meta.height ?? 0;
  if (w * h > MAX_INPUT_PIXELS) {
    throw new FaceError('IMAGE_TOO_LARGE', `image is ${w}x${h} (${(w * h / 1e6).toFixed(0)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP`);
  }
  try {
    // sharp shrinks large images while decoding (JPEG DCT scaling), far cheaper than a full decode.
    const { data, info } = await sharp(bytes, { limitInputPixels: false, animated: false })
      .autoOrient()
      .resize({ width: 2048, height: 2048, fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return prepareImage({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, w / info.width);
  } catch (e) {
    throw new FaceError('IMAGE_DECODE', `cannot decode the image: ${(e as Error).message}`);
  }
}

function isRgba(v: NodeImageInput): v is RgbaImage {
  return typeof v === 'object' && !(v instanceof Uint8Array) && 'width' in v && 'data' in v;
}

function checkRgba(img: RgbaImage): RgbaImage {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 4) {
    throw new FaceError('IMAGE_DECODE', `an RGBA buffer needs width*height*4 bytes (got ${width}x${height}, ${data?.length} bytes)`);
  }
  if (width * height > MAX_INPUT_PIXELS) throw new FaceError('IMAGE_TOO_LARGE', `image is ${width}x${height}; the limit is ${MAX_INPUT_PIXELS / 1e6} MP`);
  return img;
}

export async function createFaceRecognizer(options: NodeRecognizerOptions = {}): Promise<NodeFaceRecognizer> {
  ort.env.wasm.numThreads = options.numThreads ?? 1;
  const engine = await createNodeEngine(options.modelsDir);
  let disposed = false;
  const live = () => {
    if (disposed) throw new FaceError('DISPOSED', 'this recognizer was disposed');
  };
  const decodeAt = async (input: NodeImageInput, index: number) => {
    try {
      return await decodeNodeImage(input);
    } catch (e) {
      throw withImage(e, index);
    }
  };

  const serial = serialQueue();
  const compareDetailed: NodeFaceRecognizer['compareDetailed'] = async (a, b, options) => {
    live();
    const sw = new Stopwatch();
    const [pa, pb] = await Promise.all([decodeAt(a, 1), decodeAt(b, 2)]);
    const decode = sw.lap();
    return serial(async () => {
      const { cosine, ...result } = await engine.compare(pa, pb, options);
      return { result, cosine, timings: { ...engine.timings, decode } };
    });
  };

  return {
    compareDetailed,
    compareFaces: async (a, b, options) => (await compareDetailed(a, b, options)).result,
    analyze: async (image, options) => {
      live();
      const p = await decodeAt(image, 1);
      return serial(async () => (await engine.analyze(p, options)).map((f: AnalyzedFace) => f.face));
    },
    embed: async (image, options) => {
      live();
      const p = await decodeAt(image, 1);
      return serial(async () => {
        const face = await engine.mainFace(p, options).catch((e) => { throw withImage(e, 1); });
        return engine.embed(face.alignedTensor);
      });
    },
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await serial(() => engine.dispose());
    },
  };
}
