/**
 * A TensorFlow.js graph model (model.json "graph-model" + weight shards) as an ONNX graph, op by op.
 *
 * Layout: TF graphs here are NHWC; ONNX's Conv is NCHW. The Placeholder (rank 4) becomes an NCHW
 * input once, and every rank-4 activation stays NCHW from there on ("nchw" values below): convolution
 * weights are transposed to ONNX layouts (HWIO → OIHW; depthwise HWCM → (C·M)1HW with group = C),
 * constants that broadcast against an NCHW value are transposed likewise, and paddings are
 * reordered. An op that needs TF axis order (Reshape, MatMul, Squeeze/reductions that drop axes)
 * gets the value transposed back to NHWC first ("plain"), a no-op cost on the [1,1,1,C] tails these
 * models have. 'SAME' padding is made explicit from the tracked shapes (TF's rule: the odd pixel
 * goes after). Fused ops (_FusedConv2D, FusedDepthwiseConv2dNative with BiasAdd then Relu / Relu6 /
 * Prelu / Sigmoid / Tanh) are expanded into Conv + activation nodes.
 *
 * Ops covered: Placeholder, Const, Identity, Conv2D, _FusedConv2D, DepthwiseConv2dNative,
 * FusedDepthwiseConv2dNative, BiasAdd, Add, AddV2, Sub, Mul, RealDiv, Div, Maximum, Minimum, Relu,
 * Relu6, Abs, Neg, Sigmoid, Tanh, Sqrt, Rsqrt, Square, Exp, Sum, Mean, Max, Min, Squeeze, Pad, Reshape,
 * MatMul. Anything else throws with the op's name, so an unsupported model fails at conversion time.
 */
import { encodeModel, type Graph, type Node, type Tensor } from './onnx-proto.js';
import { decodeWeights, type WeightGroup } from './tfjs-weights.js';

interface TfAttr {
  s?: string; i?: string; f?: number; b?: boolean; type?: string;
  list?: { i?: string[]; s?: string[] };
  shape?: { dim?: { size: string }[] };
}
export interface TfjsNode { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> }
export interface TfjsGraphModel {
  format: string;
  modelTopology: { node: TfjsNode[] };
  weightsManifest: WeightGroup[];
}

/** A weight of the graph: float32 or int32 (shapes, axes, paddings). */
export interface GraphConst { shape: number[]; data: Float32Array | Int32Array }

/**
 * Every weight of the manifest. tfjs-weights.ts reads float32 only; int32 entries have the same
 * 4-byte width, so they are read as float32 bytes and reinterpreted.
 */
export function decodeGraphWeights(manifest: WeightGroup[], readShard: (path: string) => Uint8Array): Map<string, GraphConst> {
  const ints = new Set<string>();
  const asFloat = manifest.map((g) => ({
    ...g,
    weights: g.weights.map((w) => {
      if (w.dtype !== 'int32') return w;
      if (w.quantization) throw new Error(`${w.name}: quantised int32 weights are not supported`);
      ints.add(w.name);
      return { ...w, dtype: 'float32' };
    }),
  }));
  const out = new Map<string, GraphConst>();
  for (const [name, w] of decodeWeights(asFloat, readShard)) {
    out.set(name, { shape: w.shape, data: ints.has(name) ? new Int32Array(w.data.buffer, w.data.byteOffset, w.data.length) : w.data });
  }
  return out;
}

/** An activation: its ONNX name, its TF shape (batch resolved to 1) and whether it is held as NCHW. */
interface Value { name: string; shape: number[]; nchw: boolean }

const NHWC_TO_NCHW = [0, 3, 1, 2];
const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const str = (a?: TfAttr) => (a?.s === undefined ? undefined : Buffer.from(a.s, 'base64').toString('utf8'));
const ints = (a?: TfAttr) => (a?.list?.i ?? []).map(Number);
const onnxDims = (v: Value) => (v.nchw ? NHWC_TO_NCHW.map((i) => v.shape[i]) : v.shape);

/** Data of an array with TF (row-major) shape `shape`, permuted: out axis k = in axis perm[k]. */
function transpose(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => numel(shape.slice(i + 1)));
  const out = new Float32Array(data.length);
  const idx = new Array(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let at = 0;
    for (let k = 0; k < perm.length; k++) at += idx[k] * inStrides[perm[k]];
    out[o] = data[at];
    for (let k = perm.length - 1; k >= 0; k--) { if (++idx[k] < outShape[k]) break; idx[k] = 0; }
  }
  return out;
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const pa = [...new Array(n - a.length).fill(1), ...a], pb = [...new Array(n - b.length).fill(1), ...b];
  return pa.map((x, i) => {
    if (x !== pb[i] && x !== 1 && pb[i] !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    return x === 1 ? pb[i] : x;
  });
}

/** TF conv output size and [before, after] padding along one spatial axis. */
function convAxis(n: number, k: number, s: number, d: number, padding: string, explicit?: [number, number]): { out: number; pad: [number, number] } {
  const ek = (k - 1) * d + 1;
  if (padding === 'VALID') return { out: Math.ceil((n - ek + 1) / s), pad: [0, 0] };
  if (padding === 'SAME') {
    const out = Math.ceil(n / s), total = Math.max((out - 1) * s + ek - n, 0);
    return { out, pad: [Math.floor(total / 2), total - Math.floor(total / 2)] };
  }
  if (padding === 'EXPLICIT' && explicit) return { out: Math.floor((n + explicit[0] + explicit[1] - ek) / s) + 1, pad: explicit };
  throw new Error(`padding ${padding} is not supported`);
}

const UNARY: Record<string, string> = { Relu: 'Relu', Abs: 'Abs', Neg: 'Neg', Sigmoid: 'Sigmoid', Tanh: 'Tanh', Sqrt: 'Sqrt', Exp: 'Exp', Identity: 'Identity' };
const BINARY: Record<string, string> = { Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Div: 'Div', Maximum: 'Max', Minimum: 'Min' };
const REDUCE: Record<string, string> = { Sum: 'ReduceSum', Mean: 'ReduceMean', Max: 'ReduceMax', Min: 'ReduceMin' };

export interface ConvertOptions {
  /** ONNX input name; the input is NCHW when the placeholder is rank 4. */
  inputName?: string;
  outputName?: string;
}

class Converter {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  readonly values = new Map<string, Value>();
  readonly used = new Set<string>();
  private n = 0;

  constructor(private readonly consts: Map<string, GraphConst>) {}

  fresh(base: string): string {
    return `${base}__${this.n++}`;
  }

  add(op: string, inputs: string[], attrs?: Node['attrs'], out = this.fresh(op.toLowerCase())): string {
    this.nodes.push({ op, inputs, outputs: [out], attrs });
    return out;
  }

  init(base: string, dims: number[], data: Float32Array | BigInt64Array): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data });
    return name;
  }

  int64(base: string, v: readonly number[], scalar = false): string {
    return this.init(base, scalar ? [] : [v.length], BigInt64Array.from(v, (x) => BigInt(x)));
  }

  isConst(tf: string): boolean {
    return this.consts.has(tf) && !this.values.has(tf);
  }

  constOf(tf: string): GraphConst {
    const c = this.consts.get(tf);
    if (!c) throw new Error(`${tf}: not a constant`);
    this.used.add(tf);
    return c;
  }

  floatConst(tf: string): GraphConst & { data: Float32Array } {
    const c = this.constOf(tf);
    if (!(c.data instanceof Float32Array)) throw new Error(`${tf}: expected a float32 constant`);
    return c as GraphConst & { data: Float32Array };
  }

  intList(tf: string): number[] {
    const c = this.constOf(tf);
    return Array.from(c.data, Number);
  }

  value(tf: string): Value {
    const v = this.values.get(tf);
    if (!v) throw new Error(`${tf}: no value (unsupported producer, or the graph is not in topological order)`);
    return v;
  }

  /** The value in TF (NHWC) order. */
  plain(v: Value): Value {
    if (!v.nchw) return v;
    return { name: this.add('Transpose', [v.name], { perm: [0, 2, 3, 1] }), shape: v.shape, nchw: false };
  }

  /** A rank-4 value as NCHW. */
  nchw(v: Value): Value {
    if (v.nchw) return v;
    if (v.shape.length !== 4) throw new Error(`${v.name}: rank ${v.shape.length}, a conv needs rank 4`);
    return { name: this.add('Transpose', [v.name], { perm: NHWC_TO_NCHW }), shape: v.shape, nchw: true };
  }

  /** A constant operand of an elementwise op with activation `other`, laid out to broadcast like TF. */
  broadcastConst(tf: string, other: Value): { name: string; shape: number[] } {
    const c = this.floatConst(tf);
    if (numel(c.shape) === 1 && c.shape.length <= other.shape.length) return { name: this.init(tf, [], c.data.slice(0, 1)), shape: [] };
    if (!other.nchw) return { name: this.init(tf, c.shape, c.data), shape: c.shape };
    if (c.shape.length > 4) throw new Error(`${tf}: rank ${c.shape.length} constant against an NCHW value`);
    const s4 = [...new Array(4 - c.shape.length).fill(1), ...c.shape];
    return { name: this.init(tf, NHWC_TO_NCHW.map((i) => s4[i]), transpose(c.data, s4, NHWC_TO_NCHW)), shape: c.shape };
  }

  conv(node: TfjsNode, inputs: string[]): Value {
    const a = node.attr ?? {};
    const depthwise = node.op.includes('Depthwise');
    const fmt = str(a.data_format) ?? 'NHWC';
    if (fmt !== 'NHWC') throw new Error(`${node.name}: data_format ${fmt} is not supported`);
    const x = this.nchw(this.value(inputs[0]));
    const w = this.floatConst(inputs[1]);
    const [kh, kw, cin, m] = w.shape;
    if (cin !== x.shape[3]) throw new Error(`${node.name}: filter wants ${cin} channels, input has ${x.shape[3]}`);
    const strides = ints(a.strides), dil = ints(a.dilations);
    const [sh, sw] = strides.length === 4 ? [strides[1], strides[2]] : [1, 1];
    const [dh, dw] = dil.length === 4 ? [dil[1], dil[2]] : [1, 1];
    const padding = str(a.padding) ?? 'VALID';
    const ep = ints(a.explicit_paddings);
    const ah = convAxis(x.shape[1], kh, sh, dh, padding, ep.length === 8 ? [ep[2], ep[3]] : undefined);
    const aw = convAxis(x.shape[2], kw, sw, dw, padding, ep.length === 8 ? [ep[4], ep[5]] : undefined);
    const cout = depthwise ? cin * m : m;
    // HWIO → OIHW; depthwise HWCM → (C·M)1HW, output channel c·M + j (TF's order).
    const weight = depthwise
      ? this.init(inputs[1], [cout, 1, kh, kw], transpose(w.data, [kh, kw, cin * m], [2, 0, 1]))
      : this.init(inputs[1], [cout, cin, kh, kw], transpose(w.data, w.shape, [3, 2, 0, 1]));
    const fused = (a.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
    const convInputs = [x.name, weight];
    let arg = 2;
    if (fused[0] === 'BiasAdd') {
      const b = this.floatConst(inputs[arg++]);
      if (b.data.length !== cout) throw new Error(`${node.name}: bias has ${b.data.length} values for ${cout} channels`);
      convInputs.push(this.init(inputs[arg - 1], [cout], b.data));
      fused.shift();
    } else if (fused.length && !['Relu', 'Relu6', 'Prelu', 'Sigmoid', 'Tanh'].includes(fused[0])) {
      throw new Error(`${node.name}: fused op ${fused[0]} is not supported`);
    }
    let out = this.add('Conv', convInputs, {
      kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads: [ah.pad[0], aw.pad[0], ah.pad[1], aw.pad[1]],
      ...(depthwise ? { group: cin } : {}),
    }, fused.length ? this.fresh(node.name) : node.name);
    for (const [i, op] of fused.entries()) {
      const name = i === fused.length - 1 ? node.name : this.fresh(node.name);
      if (op === 'Relu' || op === 'Sigmoid' || op === 'Tanh') out = this.add(op, [out], undefined, name);
      else if (op === 'Relu6') out = this.add('Clip', [out, this.init('zero', [], Float32Array.of(0)), this.init('six', [], Float32Array.of(6))], undefined, name);
      else if (op === 'Prelu') {
        const alpha = this.floatConst(inputs[arg++]);
        out = this.add('PRelu', [out, this.init(inputs[arg - 1], [cout, 1, 1], alpha.data)], undefined, name);
      } else throw new Error(`${node.name}: fused op ${op} is not supported`);
    }
    return { name: out, shape: [x.shape[0], ah.out, aw.out, cout], nchw: true };
  }

  binary(node: TfjsNode, inputs: string[]): Value {
    const op = BINARY[node.op];
    const [ca, cb] = inputs.map((i) => this.isConst(i));
    if (ca && cb) throw new Error(`${node.name}: both operands constant (constant folding is not supported)`);
    if (ca || cb) {
      const v = this.value(inputs[ca ? 1 : 0]);
      const c = this.broadcastConst(inputs[ca ? 0 : 1], v);
      const ins = ca ? [c.name, v.name] : [v.name, c.name];
      return { name: this.add(op, ins, undefined, node.name), shape: broadcast(v.shape, c.shape), nchw: v.nchw };
    }
    let [a, b] = inputs.map((i) => this.value(i));
    if (a.nchw !== b.nchw) {
      if (!a.nchw && a.shape.length === 4) a = this.nchw(a);
      else if (!b.nchw && b.shape.length === 4) b = this.nchw(b);
      else [a, b] = [this.plain(a), this.plain(b)];
    }
    return { name: this.add(op, [a.name, b.name], undefined, node.name), shape: broadcast(a.shape, b.shape), nchw: a.nchw };
  }

  reduce(node: TfjsNode, inputs: string[]): Value {
    let x = this.value(inputs[0]);
    const keep = node.attr?.keep_dims?.b ?? false;
    const rank = x.shape.length;
    const axes = [...new Set(this.intList(inputs[1]).map((a) => (a < 0 ? a + rank : a)))].sort();
    if (x.nchw && !keep) x = this.plain(x); // dropped axes: reduce in TF order
    const onnxAxes = x.nchw ? axes.map((a) => NHWC_TO_NCHW.indexOf(a)).sort() : axes;
    const op = REDUCE[node.op];
    const name = op === 'ReduceSum'
      ? this.add(op, [x.name, this.int64(`${node.name}/axes`, onnxAxes)], { keepdims: keep ? 1 : 0 }, node.name)
      : this.add(op, [x.name], { axes: onnxAxes, keepdims: keep ? 1 : 0 }, node.name);
    const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return { name, shape, nchw: x.nchw };
  }

  squeeze(node: TfjsNode, inputs: string[]): Value {
    const x = this.plain(this.value(inputs[0]));
    const rank = x.shape.length;
    let axes = ints(node.attr?.squeeze_dims).map((a) => (a < 0 ? a + rank : a));
    if (!axes.length) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of axes) if (x.shape[a] !== 1) throw new Error(`${node.name}: axis ${a} has size ${x.shape[a]}`);
    const name = this.add('Squeeze', [x.name, this.int64(`${node.name}/axes`, axes)], undefined, node.name);
    return { name, shape: x.shape.filter((_, i) => !axes.includes(i)), nchw: false };
  }

  pad(node: TfjsNode, inputs: string[]): Value {
    const x = this.value(inputs[0]);
    const p = this.intList(inputs[1]); // [rank, 2] in TF axis order
    const rank = x.shape.length;
    if (p.length !== 2 * rank) throw new Error(`${node.name}: paddings for rank ${p.length / 2}, value has rank ${rank}`);
    const order = x.nchw ? NHWC_TO_NCHW : x.shape.map((_, i) => i);
    const pads = [...order.map((a) => p[2 * a]), ...order.map((a) => p[2 * a + 1])];
    const name = this.add('Pad', [x.name, this.int64(`${node.name}/pads`, pads)], undefined, node.name);
    return { name, shape: x.shape.map((d, i) => d + p[2 * i] + p[2 * i + 1]), nchw: x.nchw };
  }

  reshape(node: TfjsNode, inputs: string[]): Value {
    const x = this.plain(this.value(inputs[0]));
    const target = this.intList(inputs[1]);
    const known = target.reduce((s, d, i) => (d === -1 ? s : s * (d === 0 ? x.shape[i] : d)), 1);
    const shape = target.map((d, i) => (d === -1 ? numel(x.shape) / known : d === 0 ? x.shape[i] : d));
    const name = this.add('Reshape', [x.name, this.int64(`${node.name}/shape`, target)], undefined, node.name);
    return { name, shape, nchw: false };
  }

  matmul(node: TfjsNode, inputs: string[]): Value {
    const a = node.attr ?? {};
    if (a.transpose_a?.b) throw new Error(`${node.name}: transpose_a is not supported`);
    const x = this.plain(this.value(inputs[0]));
    let name: string, cols: number;
    if (this.isConst(inputs[1])) {
      const w = this.floatConst(inputs[1]);
      if (w.shape.length !== 2) throw new Error(`${node.name}: rank ${w.shape.length} weight`);
      const [r, c] = a.transpose_b?.b ? [w.shape[1], w.shape[0]] : w.shape;
      const data = a.transpose_b?.b ? transpose(w.data, w.shape, [1, 0]) : w.data;
      if (r !== x.shape[x.shape.length - 1]) throw new Error(`${node.name}: weight has ${r} rows, input ${x.shape.at(-1)} columns`);
      name = this.add('MatMul', [x.name, this.init(inputs[1], [r, c], data)], undefined, node.name);
      cols = c;
    } else {
      if (a.transpose_b?.b) throw new Error(`${node.name}: transpose_b of an activation is not supported`);
      const y = this.plain(this.value(inputs[1]));
      name = this.add('MatMul', [x.name, y.name], undefined, node.name);
      cols = y.shape.at(-1)!;
    }
    return { name, shape: [...x.shape.slice(0, -1), cols], nchw: false };
  }
}

/** The ONNX graph of a TFJS graph model: one input (the placeholder), one output (the last node nothing consumes). */
export function tfjsGraphToOnnx(model: TfjsGraphModel, weights: Map<string, GraphConst>, opts: ConvertOptions & { name?: string } = {}): Graph {
  if (model.format !== 'graph-model') throw new Error(`format ${model.format}: only TFJS graph models are supported`);
  const inputName = opts.inputName ?? 'input', outputName = opts.outputName ?? 'output';
  const nodes = model.modelTopology.node;
  const cv = new Converter(weights);
  const consumed = new Set<string>();
  const clean = (i: string) => i.replace(/:0$/, '');
  let input: Value | undefined;
  for (const node of nodes) {
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^')).map(clean);
    for (const i of inputs) consumed.add(i);
    if (node.op === 'Const') {
      if (!weights.has(node.name)) throw new Error(`${node.name}: constant not in the weights manifest`);
      continue;
    }
    let v: Value;
    if (node.op === 'Placeholder') {
      if (input) throw new Error(`${node.name}: a second placeholder (one input only)`);
      const shape = (node.attr?.shape?.shape?.dim ?? []).map((d) => (Number(d.size) < 0 ? 1 : Number(d.size)));
      v = input = { name: inputName, shape, nchw: shape.length === 4 };
    } else if (node.op in UNARY) {
      const x = cv.value(inputs[0]);
      v = { ...x, name: cv.add(UNARY[node.op], [x.name], undefined, node.name) };
    } else if (node.op === 'Relu6') {
      const x = cv.value(inputs[0]);
      v = { ...x, name: cv.add('Clip', [x.name, cv.init('zero', [], Float32Array.of(0)), cv.init('six', [], Float32Array.of(6))], undefined, node.name) };
    } else if (node.op === 'Rsqrt') {
      const x = cv.value(inputs[0]);
      v = { ...x, name: cv.add('Reciprocal', [cv.add('Sqrt', [x.name])], undefined, node.name) };
    } else if (node.op === 'Square') {
      const x = cv.value(inputs[0]);
      v = { ...x, name: cv.add('Mul', [x.name, x.name], undefined, node.name) };
    } else if (node.op in BINARY) v = cv.binary(node, inputs);
    else if (/^(_FusedConv2D|Conv2D|FusedDepthwiseConv2dNative|DepthwiseConv2dNative)$/.test(node.op)) v = cv.conv(node, inputs);
    else if (node.op in REDUCE) v = cv.reduce(node, inputs);
    else if (node.op === 'Squeeze') v = cv.squeeze(node, inputs);
    else if (node.op === 'Pad') v = cv.pad(node, inputs);
    else if (node.op === 'Reshape') v = cv.reshape(node, inputs);
    else if (node.op === 'MatMul') v = cv.matmul(node, inputs);
    else throw new Error(`${node.name}: op ${node.op} is not supported`);
    cv.values.set(node.name, v);
  }
  if (!input) throw new Error('the graph has no Placeholder');
  const outs = nodes.filter((n) => n.op !== 'Const' && !consumed.has(n.name));
  if (outs.length !== 1) throw new Error(`expected one output, found ${outs.map((n) => n.name).join(', ') || 'none'}`);
  const out = cv.plain(cv.value(outs[0].name));
  cv.add('Identity', [out.name], undefined, outputName);
  const unused = [...weights.keys()].filter((k) => !cv.used.has(k));
  if (unused.length) throw new Error(`weights the graph never reads: ${unused.join(', ')}`);
  return {
    name: opts.name ?? 'tfjs_graph',
    nodes: cv.nodes,
    initializers: cv.initializers,
    inputs: [{ name: inputName, dims: onnxDims(input) }],
    outputs: [{ name: outputName, dims: out.shape }],
  };
}

/** ONNX model bytes (opset 13). Deterministic: the same model files give the same bytes. */
export function tfjsGraphOnnx(model: TfjsGraphModel, weights: Map<string, GraphConst>, opts: ConvertOptions & { name?: string; doc?: string; producer?: string } = {}): Uint8Array {
  return encodeModel(tfjsGraphToOnnx(model, weights, opts), {
    producer: opts.producer ?? 'face-compare-sdk convert-tfjs-graph', doc: opts.doc ?? '', opset: 13, irVersion: 7,
  });
}
