/**
 * Reads a TensorFlow.js weights manifest and its binary shards into named float32 arrays, with
 * the same dequantisation as tfjs-core's io.decodeWeights (so the converted model sees exactly
 * the weights face-api runs with).
 */

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  /** uint8/uint16: value = q · scale + min (affine); float16: IEEE half floats. */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** One group of the manifest: its shard files (concatenated in order) and the entries they hold. */
export interface WeightGroup {
  paths: string[];
  weights: WeightEntry[];
}

export interface Weight {
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/**
 * Decodes every entry of the manifest. `readShard` returns the bytes of one path of a group.
 * Entries are laid out back to back across the group's concatenated shards.
 */
export function decodeWeights(manifest: WeightGroup[], readShard: (path: string) => Uint8Array): Map<string, Weight> {
  const out = new Map<string, Weight>();
  for (const group of manifest) {
    const shards = group.paths.map(readShard);
    const buf = new Uint8Array(shards.reduce((s, b) => s + b.length, 0));
    let o = 0;
    for (const s of shards) { buf.set(s, o); o += s.length; }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`${w.name}: dtype ${w.dtype} is not supported (float32 only)`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      const stored = q?.dtype ?? w.dtype;
      const size = BYTES[stored];
      if (!size) throw new Error(`${w.name}: storage dtype ${stored} is not supported`);
      if (offset + n * size > buf.length) throw new Error(`${w.name}: shards end at ${buf.length} bytes, entry needs ${offset + n * size}`);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const at = offset + i * size;
        if (!q) data[i] = view.getFloat32(at, true);
        else if (q.dtype === 'float16') data[i] = half(view.getUint16(at, true));
        else data[i] = (q.dtype === 'uint8' ? view.getUint8(at) : view.getUint16(at, true)) * q.scale! + q.min!;
      }
      out.set(w.name, { shape: w.shape, data });
      offset += n * size;
    }
    if (offset !== buf.length) throw new Error(`weights group ${group.paths.join(',')}: ${buf.length - offset} bytes left over`);
  }
  return out;
}

/** IEEE 754 half → number. */
function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
