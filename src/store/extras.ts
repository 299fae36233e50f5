/** A scan's sealed extras (images, embeddings) as one byte string: a JSON header of parts, then the parts. */
import type { SaveExtras } from './types.js';

async function toBytes(v: Blob | Uint8Array): Promise<Uint8Array> {
  return v instanceof Uint8Array ? v : new Uint8Array(await v.arrayBuffer());
}

/** Extras → one byte string: JSON header of lengths, then the parts. */
export async function packExtras(extras: SaveExtras): Promise<Uint8Array | undefined> {
  const parts: [string, Uint8Array][] = [];
  for (const k of ['face1', 'face2'] as const) {
    const img = extras.images?.[k];
    if (img) parts.push([`image.${k}`, await toBytes(img)]);
    const emb = extras.embeddings?.[k];
    if (emb) parts.push([`embedding.${k}`, new Uint8Array(emb.buffer.slice(emb.byteOffset, emb.byteOffset + emb.byteLength))]);
  }
  if (!parts.length) return undefined;
  const header = new TextEncoder().encode(JSON.stringify(parts.map(([n, b]) => [n, b.length])));
  const out = new Uint8Array(4 + header.length + parts.reduce((s, [, b]) => s + b.length, 0));
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  let o = 4 + header.length;
  for (const [, b] of parts) { out.set(b, o); o += b.length; }
  return out;
}

export function unpackExtras(bytes: Uint8Array): Omit<SaveExtras, 'elapsedTime'> {
  const hl = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + hl))) as [string, number][];
  const res: Omit<SaveExtras, 'elapsedTime'> = {};
  let o = 4 + hl;
  for (const [name, len] of header) {
    const part = bytes.slice(o, o + len);
    o += len;
    const [kind, face] = name.split('.') as ['image' | 'embedding', 'face1' | 'face2'];
    if (kind === 'image') (res.images ??= {})[face] = part;
    else (res.embeddings ??= {})[face] = new Float32Array(part.buffer);
  }
  return res;
}
