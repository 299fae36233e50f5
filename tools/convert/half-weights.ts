/**
 * Stores a model's float32 weights as float16, cast back to float32 when the session loads: each
 * large FLOAT initializer `w` becomes a FLOAT16 initializer `w__fp16` and a `Cast(to=FLOAT)` node
 * that outputs `w`, placed first in the graph. Every other byte of the model (nodes, Constant nodes,
 * graph inputs and outputs, small tensors such as biases and batch-norm statistics) is copied as it
 * was, so the graph computes in float32 exactly as before with weights rounded to 11 significant
 * bits; onnxruntime folds the Casts into float32 constants while creating the session.
 *
 *   npx tsx tools/convert/half-weights.ts IN.onnx OUT.onnx [--min-elements N]
 *
 * Deterministic: the same input gives the same bytes (pinned by sha256 in models/manifest.json).
 * models/fetch.mjs runs it on the pinned upstream files; docs/package.md has the parity table.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  concatBytes, FLOAT, FLOAT16, intField, messageField, readFields, readTensor, stringField, bytesField, type Field,
} from '../lib/onnx-proto.js';

/** Tensors smaller than this stay float32: biases, batch-norm statistics, PReLU slopes (a few kB in all). */
export const DEFAULT_MIN_ELEMENTS = 1024;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of `v`, rounded to nearest, ties to even (subnormals kept, overflow to ±inf). */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // a carry into the exponent is still the right value
  return sign | h;
}

/** The float value of binary16 bits `h`. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export interface HalfWeightsReport {
  converted: number;
  kept: number;
  /** Largest |w16 − w| / max|w| over the converted tensors. */
  maxRelativeError: number;
  bytesIn: number;
  bytesOut: number;
}

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

/** The converted model's bytes. `source` names the input in the model's metadata (its sha256). */
export function halfWeights(model: Uint8Array, opts: { minElements?: number } = {}): { bytes: Uint8Array; report: HalfWeightsReport } {
  const minElements = opts.minElements ?? DEFAULT_MIN_ELEMENTS;
  const top = readFields(model);
  const graphField = top.find((f) => f.no === 7 && f.wire === 2);
  if (!graphField) throw new Error('not an ONNX model: no graph');
  const graph = readFields(graphField.data);
  const names = new Set<string>();
  for (const f of graph) if (f.no === 5) names.add(readTensor(f.data).name);

  const casts: Uint8Array[] = [];
  const castOutputs = new Set<string>();
  const rewritten = new Map<Field, Uint8Array>();
  let converted = 0, kept = 0, maxRelativeError = 0;
  for (const f of graph) {
    if (f.no !== 5) continue;
    const t = readTensor(f.data);
    if (t.dataType !== FLOAT || !t.floats || t.floats.length < minElements) { kept++; continue; }
    const half = new Uint16Array(t.floats.length);
    let maxAbs = 0, maxErr = 0;
    for (let i = 0; i < half.length; i++) {
      const w = t.floats[i];
      half[i] = toHalf(w);
      maxAbs = Math.max(maxAbs, Math.abs(w));
      maxErr = Math.max(maxErr, Math.abs(fromHalf(half[i]) - w));
    }
    if (!Number.isFinite(maxErr)) { kept++; continue; } // a weight beyond float16's range: keep the tensor as it is
    maxRelativeError = Math.max(maxRelativeError, maxAbs ? maxErr / maxAbs : 0);
    let halfName = `${t.name}__fp16`;
    while (names.has(halfName)) halfName += '_';
    names.add(halfName);
    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (float16 little-endian).
    rewritten.set(f, messageField(5, [
      ...t.dims.map((d) => intField(1, d)), intField(2, FLOAT16), stringField(8, halfName),
      bytesField(9, new Uint8Array(half.buffer)),
    ]));
    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5 (AttributeProto name = 1, i = 3, type = 20: INT = 2).
    casts.push(messageField(1, [
      stringField(1, halfName), stringField(2, t.name), stringField(3, `${t.name}__cast`), stringField(4, 'Cast'),
      messageField(5, [stringField(1, 'to'), intField(3, FLOAT), intField(20, 2)]),
    ]));
    castOutputs.add(t.name);
    converted++;
  }
  // A graph input (GraphProto.input = 11) that named an initializer (IR < 4 lists them there) is
  // now a node output: drop it, or onnxruntime would expect it as a feed.
  const inputName = (f: Field) => utf8(readFields(f.data).find((x) => x.no === 1)?.data ?? new Uint8Array());
  const graphOut = concatBytes([
    ...casts,
    ...graph.filter((f) => !(f.no === 11 && castOutputs.has(inputName(f)))).map((f) => rewritten.get(f) ?? f.raw),
  ]);
  const sha = createHash('sha256').update(model).digest('hex');
  // ModelProto.metadata_props = 14 (StringStringEntryProto key = 1, value = 2): where the file came from.
  const note = messageField(14, [
    stringField(1, 'face-compare-sdk.weights'),
    stringField(2, `float16 initializers (>= ${minElements} elements) cast to float32 at load, by tools/convert/half-weights.ts from sha256 ${sha}`),
  ]);
  const bytes = concatBytes([...top.map((f) => (f === graphField ? bytesField(7, graphOut) : f.raw)), note]);
  return { bytes, report: { converted, kept, maxRelativeError, bytesIn: model.length, bytesOut: bytes.length } };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'min-elements': { type: 'string' } } });
  const [input, output] = positionals;
  if (!input || !output) {
    console.error('usage: half-weights.ts IN.onnx OUT.onnx [--min-elements N]');
    process.exit(2);
  }
  const minElements = values['min-elements'] === undefined ? undefined : Number(values['min-elements']);
  const { bytes, report } = halfWeights(readFileSync(input), { minElements });
  writeFileSync(output, bytes);
  console.log(JSON.stringify({ input, output, ...report }));
}
