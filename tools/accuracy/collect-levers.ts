/**
 * Collects, per image, what the accuracy levers need (docs/accuracy.md): every detected face with its
 * score, landmarks and quality, and embeddings of the subject under several pipeline variants.
 * Written once (slow: the models run), analysed many times by tools/accuracy/analyze-levers.ts (fast).
 *
 *   npx tsx tools/accuracy/collect-levers.ts <pairs.csv> <out.jsonl>
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCFACE_POINTS, EMBED_SPEC, similarityTransform, ALIGN_SIZE } from 'face-compare-sdk/internal';
import { invertAffine, warpToTensor, type Affine, type RgbaImage } from 'face-compare-sdk/internal';
import { centroid, fivePoints, LEFT_EYE, RIGHT_EYE } from 'face-compare-sdk/internal';
import { createNodeEngine, decodeNodeImage } from 'face-compare-sdk/internal';
import { readPairsCsv } from 'face-compare-sdk/internal';

const [set, out] = process.argv.slice(2);
const root = join(set, '..', 'images');
const images = [...new Set(readPairsCsv(set).flatMap((p) => [p.a, p.b]))];
const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).path) : []);
const engine = await createNodeEngine();

const TEMPLATE = ARCFACE_POINTS.map(([x, y]) => [x + 0.5, y + 0.5] as [number, number]);
const AXIS = TEMPLATE.reduce((s, p) => s + p[0], 0) / TEMPLATE.length;
const b64 = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');

/** The aligned crop for given 5 points, optionally mirrored about the template's axis. */
function crop(img: RgbaImage, p5: [number, number][], opts: { mirror?: boolean; dx?: number; dy?: number } = {}): Float32Array {
  const dst = TEMPLATE.map(([x, y]) => [x + (opts.dx ?? 0), y + (opts.dy ?? 0)] as [number, number]);
  let m: Affine = invertAffine(similarityTransform(p5, dst));
  if (opts.mirror) {
    // crop(x, y) := crop(2·AXIS − x, y): compose the warp with the reflection.
    const [a, b, c, d, e, f] = m;
    m = [-a, b, c + 2 * AXIS * a, -d, e, f + 2 * AXIS * d];
  }
  return warpToTensor(img, m, ALIGN_SIZE, ALIGN_SIZE, EMBED_SPEC);
}

let n = 0;
for (const path of images) {
  if (done.has(path)) continue;
  const rec: Record<string, unknown> = { path };
  try {
    const prepared = await decodeNodeImage(join(root, path));
    const img = prepared.image;
    rec.size = [img.width, img.height];
    const { value: faces } = await engine.analyze(prepared);
    rec.faces = [];
    for (const f of faces) {
      const k = prepared.toSource;
      const pts = Float32Array.from(f.face.landmark_68.flatMap((p) => [p.x / k, p.y / k]));
      const p5 = fivePoints(pts);
      const corners: [number, number][] = [centroid(pts, RIGHT_EYE), centroid(pts, LEFT_EYE), [pts[60], pts[61]], [pts[96], pts[97]], [pts[108], pts[109]]];
      const emb = async (t: Float32Array) => b64(await engine.embed(t));
      const e: Record<string, string> = {
        base: await emb(f.alignedTensor),
        flip: await emb(crop(img, p5, { mirror: true })),
      };
      // The slower variants only for the largest face (nearly always the subject), to keep the run short.
      if ((rec.faces as unknown[]).length === 0) {
        e.corners = await emb(crop(img, corners));
        e.up = await emb(crop(img, p5, { dy: -2 }));
        e.down = await emb(crop(img, p5, { dy: 2 }));
      }
      const { landmark_68: _, ...attrs } = f.face;
      (rec.faces as unknown[]).push({ score: f.score, ...attrs, k: prepared.toSource, emb: e });
    }
  } catch (err) {
    rec.error = (err as Error).message;
  }
  appendFileSync(out, JSON.stringify(rec) + '\n');
  if (++n % 100 === 0) console.error(`${out}: ${n + done.size}/${images.length}`);
}
await engine.dispose();
