/**
 * face-api's FaceRecognitionNet (dlib's 29-layer face ResNet) as an ONNX graph.
 *
 * Layer order, padding and shapes follow face-api 1.7.15 src/faceRecognitionNet/*.ts:
 *   conv 7x7/2 valid (32) → max pool 3/2 valid → 3 residual (32) → down + 3 residual (64)
 *   → down + 2 residual (128) → down + 2 residual (256) → down (256) → spatial mean → fc 256→128.
 * A "conv layer" there is conv + bias, then dlib's affine layer (per-channel scale and bias), then
 * an optional ReLU. The affine layer is folded into the conv here: (W * x + b) · s + t equals
 * (s·W) * x + (s·b + t), so each layer is a single Conv node and the graph needs only Conv, Relu,
 * Add, MaxPool, AveragePool, Pad, GlobalAveragePool, Flatten and MatMul.
 *
 * Input: NCHW float32 [1, 3, 150, 150], RGB already normalised (see DLIB_SPEC in tools/lib/dlib-align.ts);
 * output: the 128-d descriptor [1, 128].
 */
import { encodeModel, type Graph, type Node, type Tensor } from './onnx-proto.js';
import type { Weight } from './tfjs-weights.js';

export const DLIB_INPUT = 'input';
export const DLIB_OUTPUT = 'descriptor';
export const DLIB_INPUT_SIZE = 150;
export const DLIB_DIM = 128;

/** A value in the graph and its NCHW shape (batch 1). */
interface Value { name: string; c: number; h: number; w: number }

class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  /** Manifest entries read so far: a weight left unread means the architecture is wrong. */
  readonly used = new Set<string>();
  private n = 0;

  constructor(private readonly weights: Map<string, Weight>) {}

  weight(name: string): Weight {
    const w = this.weights.get(name);
    if (!w) throw new Error(`weights: missing ${name}`);
    this.used.add(name);
    return w;
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.n++}`;
  }

  private add(op: string, inputs: string[], attrs?: Node['attrs'], prefix = op.toLowerCase()): string {
    const out = this.fresh(prefix);
    this.nodes.push({ op, inputs, outputs: [out], attrs });
    return out;
  }

  private constant(name: string, dims: number[], data: Float32Array | BigInt64Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** face-api's convLayer: conv (+ bias) → scale layer → optional ReLU, with the scale folded in. */
  conv(x: Value, prefix: string, stride: number, relu: boolean, padding: 'same' | 'valid'): Value {
    const f = this.weight(`${prefix}/conv/filters`), bias = this.weight(`${prefix}/conv/bias`);
    const s = this.weight(`${prefix}/scale/weights`).data, t = this.weight(`${prefix}/scale/biases`).data;
    const [kh, kw, cin, cout] = f.shape; // TF layout HWIO
    if (cin !== x.c) throw new Error(`${prefix}: expects ${cin} input channels, has ${x.c}`);
    // ONNX wants OIHW; the fold happens in float64 and is rounded once.
    const w = new Float32Array(f.data.length);
    for (let y = 0; y < kh; y++) for (let xx = 0; xx < kw; xx++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
      w[((o * cin + i) * kh + y) * kw + xx] = f.data[((y * kw + xx) * cin + i) * cout + o] * s[o];
    }
    const b = Float32Array.from(bias.data, (v, o) => v * s[o] + t[o]);
    const [ph, oh] = tfPadding(x.h, kh, stride, padding), [pw, ow] = tfPadding(x.w, kw, stride, padding);
    let out = this.add('Conv', [x.name, this.constant(`${prefix}/W`, [cout, cin, kh, kw], w), this.constant(`${prefix}/B`, [cout], b)], {
      kernel_shape: [kh, kw], strides: [stride, stride], pads: [ph[0], pw[0], ph[1], pw[1]],
    }, 'conv');
    if (relu) out = this.add('Relu', [out]);
    return { name: out, c: cout, h: oh, w: ow };
  }

  /** face-api's residual: conv → conv (no ReLU) → + x → ReLU. */
  residual(x: Value, prefix: string): Value {
    const a = this.conv(x, `${prefix}/conv1`, 1, true, 'same');
    const b = this.conv(a, `${prefix}/conv2`, 1, false, 'same');
    return { ...b, name: this.add('Relu', [this.add('Add', [b.name, x.name])]) };
  }

  /**
   * face-api's residualDown: conv 3x3/2 valid → conv (no ReLU), shortcut = 2x2/2 average pool of x.
   * Where the two disagree face-api zero-pads: the conv path by one row (bottom) and one column
   * (right) when its side is one short of the pool's (8 → 3 vs 4, 4 → 1 vs 2), and the shortcut's
   * channels (concatenated zeros) when the block doubles them.
   */
  residualDown(x: Value, prefix: string): Value {
    let out = this.conv(this.conv(x, `${prefix}/conv1`, 2, true, 'valid'), `${prefix}/conv2`, 1, false, 'same');
    const ph = Math.floor((x.h - 2) / 2) + 1, pw = Math.floor((x.w - 2) / 2) + 1;
    let pooled = this.add('AveragePool', [x.name], { kernel_shape: [2, 2], strides: [2, 2] });
    if (out.h !== ph || out.w !== pw) {
      if (ph - out.h !== 1 || pw - out.w !== 1) throw new Error(`${prefix}: conv ${out.h}x${out.w} vs pool ${ph}x${pw}`);
      out = { ...out, h: ph, w: pw, name: this.pad(out.name, [0, 0, 0, 0, 0, 0, 1, 1], `${prefix}/pad_hw`) };
    }
    if (out.c !== x.c) {
      if (out.c !== 2 * x.c) throw new Error(`${prefix}: ${x.c} → ${out.c} channels`);
      pooled = this.pad(pooled, [0, 0, 0, 0, 0, x.c, 0, 0], `${prefix}/pad_c`);
    }
    return { ...out, name: this.add('Relu', [this.add('Add', [pooled, out.name])]) };
  }

  /** Constant-zero Pad; `pads` are ONNX's [begin per axis…, end per axis…]. */
  private pad(x: string, pads: number[], name: string): string {
    return this.add('Pad', [x, this.constant(name, [pads.length], BigInt64Array.from(pads, BigInt))]);
  }

  maxPool(x: Value, k: number, stride: number): Value {
    const out = this.add('MaxPool', [x.name], { kernel_shape: [k, k], strides: [stride, stride] });
    return { name: out, c: x.c, h: Math.floor((x.h - k) / stride) + 1, w: Math.floor((x.w - k) / stride) + 1 };
  }

  /** Mean over H, W then x · fc ([C] → [128]). */
  head(x: Value, output: string): void {
    const fc = this.weight('fc');
    if (fc.shape[0] !== x.c) throw new Error(`fc expects ${fc.shape[0]} inputs, has ${x.c}`);
    const flat = this.add('Flatten', [this.add('GlobalAveragePool', [x.name])], { axis: 1 });
    this.nodes.push({ op: 'MatMul', inputs: [flat, this.constant('fc', fc.shape, fc.data)], outputs: [output] });
  }
}

/**
 * TF 'same' / 'valid' padding → ([before, after], output size). 'same' pads
 * max((⌈n/s⌉ − 1)·s + k − n, 0) in total, the extra pixel after (TF's rule).
 */
function tfPadding(n: number, k: number, s: number, padding: 'same' | 'valid'): [[number, number], number] {
  if (padding === 'valid') return [[0, 0], Math.ceil((n - k + 1) / s)];
  const out = Math.ceil(n / s), total = Math.max((out - 1) * s + k - n, 0);
  return [[Math.floor(total / 2), total - Math.floor(total / 2)], out];
}

/** The graph for the weights decoded from face-api's face_recognition_model manifest. */
export function dlibResnetGraph(weights: Map<string, Weight>): Graph {
  const g = new GraphBuilder(weights);
  let x: Value = { name: DLIB_INPUT, c: 3, h: DLIB_INPUT_SIZE, w: DLIB_INPUT_SIZE };
  x = g.maxPool(g.conv(x, 'conv32_down', 2, true, 'valid'), 3, 2);
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = g.residual(x, p);
  x = g.residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = g.residual(x, p);
  x = g.residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = g.residual(x, p);
  x = g.residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = g.residual(x, p);
  x = g.residualDown(x, 'conv256_down_out');
  g.head(x, DLIB_OUTPUT);
  const unused = [...weights.keys()].filter((k) => !g.used.has(k));
  if (unused.length) throw new Error(`weights not in the architecture: ${unused.join(', ')}`);
  return {
    name: 'dlib_resnet',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: DLIB_INPUT, dims: [1, 3, DLIB_INPUT_SIZE, DLIB_INPUT_SIZE] }],
    outputs: [{ name: DLIB_OUTPUT, dims: [1, DLIB_DIM] }],
  };
}

const DOC = [
  "dlib's face recognition ResNet (dlib_face_recognition_resnet_model_v1, public domain), from the TFJS",
  'weights in @vladmandic/face-api@1.7.15 (MIT), converted by tools/convert/convert-dlib-resnet.ts.',
  'Input: RGB NCHW [1,3,150,150], (x - [122.782, 117.001, 104.298]) / 256 (face-api divides by 255),',
  "a dlib face chip (get_face_chip_details(shape, 150, 0.25)). Output: 128-d descriptor; dlib's",
  'same-person rule is Euclidean distance < 0.6.',
].join('\n');

/** ONNX model bytes (opset 13). Deterministic: the same weights give the same bytes. */
export function dlibResnetOnnx(weights: Map<string, Weight>): Uint8Array {
  return encodeModel(dlibResnetGraph(weights), { producer: 'face-compare-sdk convert-dlib-resnet', doc: DOC, opset: 13, irVersion: 7 });
}
