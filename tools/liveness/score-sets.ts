/**
 * npx tsx tools/liveness/score-sets.ts OUT.json [FOLDER…]
 * Scores every labelled frame of the folders (default: the shared NUAA and MSU-MFSD/OULU-NPU sets)
 * with fr_liveness under each crop variant (scale, padding, flip), plus the face's cheap screen/paper
 * cues and the cost of each step, into OUT.json for eval-sets.ts. One thread of wasm, as in the SDK's
 * cost figures. ~6 min for the 1,748 shared frames on 2 cores.
 */
import { writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import {
  createNodeEngine, decodeNodeImage, DEFAULT_MODELS_DIR, fileModelLoader, LIVENESS_INPUT, livenessCues, livenessScore,
  Model, rankFaces,
} from 'face-compare-sdk/internal';
import { variantLivenessInput, type LivenessCropOptions } from './crop-variants.js';
import { DEFAULT_FOLDERS, readLabelledFolder, type LabelledFrame } from './sets.js';

/** The crop variants scored for every frame; 'shift27' is the shipped crop. */
export const VARIANTS: Record<string, LivenessCropOptions> = {
  shift27: {}, shift27f: { flip: true },
  edge27: { pad: 'edge' }, edge27f: { pad: 'edge', flip: true },
  mirror27: { pad: 'mirror' }, mirror27f: { pad: 'mirror', flip: true },
  const27: { pad: 'constant' },
  shift20: { scale: 2 }, edge20: { pad: 'edge', scale: 2 },
  shift15: { scale: 1.5 },
};

export interface ScoredRow extends Omit<LabelledFrame, 'path'> {
  width: number;
  height: number;
  box: [number, number, number, number] | null;
  scores: Record<string, number>;
  cues: number[];
  ms: { model: number; cues: number };
}

const [out, ...folders] = process.argv.slice(2);
if (!out) throw new Error('usage: score-sets.ts OUT.json [FOLDER…]');
const frames = (folders.length ? folders : DEFAULT_FOLDERS).flatMap(readLabelledFolder);
ort.env.wasm.numThreads = 1;
const engine = await createNodeEngine();
const model = await Model.load('fr_liveness', fileModelLoader(DEFAULT_MODELS_DIR), { ort });
const rows: ScoredRow[] = [];
for (const [i, f] of frames.entries()) {
  const { path, ...meta } = f;
  const { image } = await decodeNodeImage(path);
  const [det] = rankFaces(await engine.detect(image), image.width, image.height);
  const row: ScoredRow = { ...meta, width: image.width, height: image.height, box: null, scores: {}, cues: [], ms: { model: 0, cues: 0 } };
  if (det) {
    row.box = [det.x1, det.y1, det.x2, det.y2];
    for (const [name, crop] of Object.entries(VARIANTS)) {
      const t0 = performance.now();
      const out = await model.run(variantLivenessInput(image, det, crop), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT]);
      row.scores[name] = livenessScore(out.output);
      if (name === 'shift27') row.ms.model = performance.now() - t0;
    }
    const t1 = performance.now();
    row.cues = livenessCues(image, det);
    row.ms.cues = performance.now() - t1;
  }
  rows.push(row);
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${frames.length}\n`);
}
writeFileSync(out, JSON.stringify(rows));
await model.release();
await engine.dispose();
