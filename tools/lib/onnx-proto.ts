/**
 * The few ONNX protobuf messages a converter writes, hand-encoded.
 *
 * Why not onnx-proto / protobufjs: a model file needs only two wire types (varint and
 * length-delimited) and eight message types, all write-only. A small encoder with the field
 * numbers of onnx/onnx.proto (cited per message below) costs no dependency, and onnxruntime
 * parsing the result in tools/test/dlib-convert.test.ts checks every field we write.
 */

type Bytes = Uint8Array;

function varint(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint needs a non-negative safe integer, got ${n}`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function cat(parts: readonly Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Field `f` as a varint (wire type 0). */
const int = (f: number, v: number): Bytes => Uint8Array.from([...varint(f * 8), ...varint(v)]);
/** Field `f` as length-delimited bytes (wire type 2): strings, bytes, sub-messages. */
const bytes = (f: number, v: Bytes): Bytes => cat([Uint8Array.from([...varint(f * 8 + 2), ...varint(v.length)]), v]);
const str = (f: number, s: string): Bytes => bytes(f, new TextEncoder().encode(s));
const msg = (f: number, parts: readonly Bytes[]): Bytes => bytes(f, cat(parts));

/** TensorProto.DataType */
export const FLOAT = 1, INT64 = 7;

export interface Tensor {
  name: string;
  dims: readonly number[];
  /** Stored little-endian as raw_data; Float32Array → FLOAT, BigInt64Array → INT64. */
  data: Float32Array | BigInt64Array;
}

export interface Node {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Integer-list attributes only (kernel_shape, strides, pads…) or a single integer. */
  attrs?: Record<string, number | readonly number[]>;
}

export interface ValueInfo {
  name: string;
  dims: readonly number[];
}

// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
function tensor(f: number, t: Tensor): Bytes {
  const type = t.data instanceof Float32Array ? FLOAT : INT64;
  // Typed arrays are little-endian on every platform Node and browsers run on, as raw_data wants.
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return msg(f, [...t.dims.map((d) => int(1, d)), int(2, type), str(8, t.name), bytes(9, raw)]);
}

// AttributeProto: name = 1, i = 3, ints = 8, type = 20 (INT = 2, INTS = 7).
function attribute(name: string, v: number | readonly number[]): Bytes {
  return typeof v === 'number'
    ? msg(5, [str(1, name), int(3, v), int(20, 2)])
    : msg(5, [str(1, name), ...v.map((x) => int(8, x)), int(20, 7)]);
}

// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
function node(n: Node, i: number): Bytes {
  const attrs = Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v));
  return msg(1, [...n.inputs.map((s) => str(1, s)), ...n.outputs.map((s) => str(2, s)), str(3, `${n.op}_${i}`), str(4, n.op), ...attrs]);
}

// ValueInfoProto: name = 1, type = 2; TypeProto.tensor_type = 1; Tensor: elem_type = 1, shape = 2;
// TensorShapeProto.dim = 1; Dimension.dim_value = 1.
function valueInfo(f: number, v: ValueInfo): Bytes {
  const shape = msg(2, v.dims.map((d) => msg(1, [int(1, d)])));
  return msg(f, [str(1, v.name), msg(2, [msg(1, [int(1, FLOAT), shape])])]);
}

export interface Graph {
  name: string;
  nodes: readonly Node[];
  initializers: readonly Tensor[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
}

/**
 * ModelProto bytes: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8
 * (OperatorSetIdProto: domain = 1, version = 2); GraphProto: node = 1, name = 2, initializer = 5,
 * doc_string = 10, input = 11, output = 12.
 */
export function encodeModel(g: Graph, opts: { producer: string; doc: string; opset: number; irVersion: number }): Bytes {
  const graph = msg(7, [
    ...g.nodes.map(node),
    str(2, g.name),
    ...g.initializers.map((t) => tensor(5, t)),
    str(10, opts.doc),
    ...g.inputs.map((v) => valueInfo(11, v)),
    ...g.outputs.map((v) => valueInfo(12, v)),
  ]);
  return cat([int(1, opts.irVersion), str(2, opts.producer), graph, msg(8, [str(1, ''), int(2, opts.opset)])]);
}

// ---------------------------------------------------------------------------------------------
// Reading: the same wire format, decoded field by field, so a converter can rewrite a few fields of
// an existing model (initializers, graph inputs) and copy every other byte as it was.

/** One protobuf field as it sits in its message: number, wire type, value (varint) or payload, and its exact bytes. */
export interface Field {
  no: number;
  wire: 0 | 1 | 2 | 5;
  /** Wire type 0: the varint's value. */
  int: number;
  /** Wire types 1, 2, 5: the payload (for 2, without its length prefix). */
  data: Bytes;
  /** The whole field (key, length, payload), to copy unchanged. */
  raw: Bytes;
}

function readVarint(b: Bytes, o: number): [number, number] {
  let n = 0, mul = 1;
  for (;;) {
    if (o >= b.length) throw new RangeError('truncated varint');
    const x = b[o++];
    n += (x & 0x7f) * mul;
    if (x < 0x80) return [n, o];
    mul *= 0x80;
  }
}

/** The fields of one message, in order (a repeated field appears once per element). */
export function readFields(b: Bytes): Field[] {
  const out: Field[] = [];
  let o = 0;
  while (o < b.length) {
    const start = o;
    let key: number;
    [key, o] = readVarint(b, o);
    const no = Math.floor(key / 8), wire = key % 8;
    let int = 0, data: Bytes = b.subarray(o, o);
    if (wire === 0) [int, o] = readVarint(b, o);
    else if (wire === 1 || wire === 5) { const n = wire === 1 ? 8 : 4; data = b.subarray(o, o + n); o += n; }
    else if (wire === 2) { let n: number; [n, o] = readVarint(b, o); data = b.subarray(o, o + n); o += n; }
    else throw new RangeError(`unsupported wire type ${wire} (field ${no})`);
    if (o > b.length) throw new RangeError(`field ${no} runs past the message`);
    out.push({ no, wire: wire as Field['wire'], int, data, raw: b.subarray(start, o) });
  }
  return out;
}

export { cat as concatBytes, int as intField, bytes as bytesField, str as stringField, msg as messageField };

/** TensorProto.DataType FLOAT16. */
export const FLOAT16 = 10;

/** An initializer as stored: TensorProto dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9. */
export interface StoredTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** FLOAT tensors: their values, from raw_data or float_data. */
  floats?: Float32Array;
  fields: Field[];
}

export function readTensor(b: Bytes): StoredTensor {
  const fields = readFields(b);
  const dims: number[] = [];
  let name = '', dataType = 0, raw: Bytes | undefined;
  const floatData: number[] = [];
  for (const f of fields) {
    if (f.no === 1) {
      if (f.wire === 0) dims.push(f.int);
      else for (let o = 0; o < f.data.length;) { let d: number; [d, o] = readVarint(f.data, o); dims.push(d); } // packed
    } else if (f.no === 2) dataType = f.int;
    else if (f.no === 8) name = new TextDecoder().decode(f.data);
    else if (f.no === 9) raw = f.data;
    else if (f.no === 4) {
      const v = new DataView(f.data.buffer, f.data.byteOffset, f.data.byteLength);
      if (f.wire === 5) floatData.push(v.getFloat32(0, true));
      else for (let o = 0; o < f.data.length; o += 4) floatData.push(v.getFloat32(o, true)); // packed
    }
  }
  let floats: Float32Array | undefined;
  if (dataType === FLOAT) {
    if (raw) floats = new Float32Array(new Uint8Array(raw).buffer); // a copy: raw may be a Buffer view at any offset
    else floats = Float32Array.from(floatData);
  }
  return { name, dims, dataType, floats, fields };
}
