/**
 * Parity corpus (issue #14): the same photo gives the same answer in Node, Chromium, Firefox and
 * WebKitGTK. The corpus is built at test time with sharp from a real photo (test/support/corpus.ts):
 * EXIF orientations 1-8, progressive, CMYK and grayscale JPEG, 16-bit and alpha PNG, WebP, AVIF,
 * animated GIF, a large and a tiny image, and the files every engine must refuse. Each file is
 * analysed in Node and, in each engine, through every input kind the engine supports; the app is
 * built with Vite and served cross-origin isolated like test/e2e/app-server.ts does.
 *
 * Pass: same face count as Node, boxes and the 68 landmarks within 2 source pixels of Node's,
 * compare_similarity of the file against its upright original within 1e-3 of Node's, and the same
 * error code for the refused files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceRecognizer } from '../src/node/index.js';
import { serveBuild, type AppServer } from './e2e/app-server.js';
import { missingEngine, openEngine, type EngineName } from './e2e/engines.js';
import { runCorpusInPage, type PageFace, type PageFile, type PageResult } from './e2e/parity-page.js';
import { buildCorpus, type CorpusFile } from './support/corpus.js';

const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];
const TOLERANCE_PX = 2;
const TOLERANCE_SIMILARITY = 1e-3;

/** Kinds not tried per engine: WebKitGTK's video.play() of a canvas.captureStream() never starts (a test-page limit). */
const SKIP: Partial<Record<EngineName, string[]>> = { webkit: ['video'] };

/** Input kinds per file: every file as a Blob; the decoding-sensitive ones through every kind. */
function kindsOf(f: CorpusFile): string[] {
  if (f.error) return [];
  const decoded = ['file', 'bitmap', 'img'];
  const pixels = ['canvas', 'offscreen', 'imageData', 'rgba', 'videoFrame', 'video'];
  if (f.name === 'exif-1.jpg') return [...decoded, ...pixels, 'frameRot90', 'frameRot270Flip'];
  if (f.name === 'exif-6.jpg') return [...decoded, ...pixels];
  if (f.orientation || ['alpha30.png', 'cmyk.jpg'].includes(f.name)) return decoded;
  if (f.name === 'animated.gif') return ['file', 'bitmap'];
  return [];
}

interface NodeOutcome { faces?: PageFace[]; similarity?: number; error?: string }

let server: AppServer;
let outDir: string;
let files: CorpusFile[];
const node: Record<string, NodeOutcome> = {};
const pages: Partial<Record<EngineName, PageResult>> = {};

beforeAll(async () => {
  const corpus = await buildCorpus();
  files = corpus.files;
  const fr = await createFaceRecognizer();
  for (const f of files) {
    try {
      const faces = (await fr.analyze(f.bytes)).map((x) => ({ box: [x.x1, x.y1, x.x2, x.y2], landmarks: x.landmark_68.map((p) => [p.x, p.y]), quality: x.face_quality }));
      const similarity = faces.length ? (await fr.compareFaces(f.bytes, corpus.upright)).compare_similarity : undefined;
      node[f.name] = { faces, similarity };
    } catch (e) {
      node[f.name] = { error: (e as { code: string }).code };
    }
  }
  await fr.dispose();

  outDir = mkdtempSync(join(tmpdir(), 'fr-parity-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: { harness: 'test/e2e/harness.html' } } } });
  mkdirSync(join(outDir, 'corpus'));
  writeFileSync(join(outDir, 'corpus', 'upright.png'), corpus.upright);
  for (const f of files) writeFileSync(join(outDir, 'corpus', f.name), f.bytes);
  server = await serveBuild(outDir);
}, 300_000);
afterAll(async () => {
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function compareToNode(engine: EngineName, r: PageResult): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const ref = node[f.name];
    for (const [kind, got] of Object.entries(r.results[f.name] ?? {})) {
      const at = `${engine} ${f.name} ${kind}`;
      if (got.unsupported) continue;
      if (ref.error || got.error) {
        if (got.error !== ref.error) problems.push(`${at}: ${got.error ?? 'answered'} vs Node ${ref.error ?? 'answered'}`);
        continue;
      }
      if (got.faces!.length !== ref.faces!.length) {
        problems.push(`${at}: ${got.faces!.length} faces vs Node ${ref.faces!.length}`);
        continue;
      }
      got.faces!.forEach((face, i) => {
        const boxDiff = Math.max(...face.box.map((v, k) => Math.abs(v - ref.faces![i].box[k])));
        const lmDiff = Math.max(...face.landmarks.map((p, k) => Math.hypot(p[0] - ref.faces![i].landmarks[k][0], p[1] - ref.faces![i].landmarks[k][1])));
        if (boxDiff > TOLERANCE_PX * Math.max(1, f.scale)) problems.push(`${at}: box off by ${boxDiff} px`);
        if (lmDiff > TOLERANCE_PX * Math.max(1, f.scale)) problems.push(`${at}: landmarks off by ${lmDiff.toFixed(2)} px`);
      });
      if (got.similarity != null && Math.abs(got.similarity - ref.similarity!) > TOLERANCE_SIMILARITY) {
        problems.push(`${at}: similarity ${got.similarity.toFixed(5)} vs Node ${ref.similarity!.toFixed(5)}`);
      }
    }
  }
  return problems;
}

describe('parity corpus', () => {
  it('Node: orientations 1-8 give the upright face; the refused files get their codes', () => {
    for (const f of files) {
      if (f.error) expect(node[f.name].error, f.name).toBe(f.error);
      else expect(node[f.name].faces!.length, f.name).toBeGreaterThanOrEqual(1);
    }
    const up = node['exif-1.jpg'].faces![0].box;
    for (let k = 2; k <= 8; k++) {
      node[`exif-${k}.jpg`].faces![0].box.forEach((v, i) => expect(Math.abs(v - up[i]), `exif-${k}`).toBeLessThanOrEqual(TOLERANCE_PX));
    }
  });

  for (const engine of ENGINES) {
    const missing = missingEngine(engine);
    it.skipIf(!!missing)(`${engine}: every file and input kind agrees with Node${missing ? ` (${missing})` : ''}`, async () => {
      const page = await openEngine(engine, `${server.url}test/e2e/harness.html`);
      try {
        // One call per file: a slow engine never runs into a driver's request timeout.
        const r: PageResult = { results: {}, userAgent: '' };
        for (const f of files) {
          const file: PageFile = { name: f.name, url: `/corpus/${f.name}`, mime: f.mime, kinds: kindsOf(f).filter((k) => !SKIP[engine]?.includes(k)) };
          const one = await page.evaluate(runCorpusInPage, { files: [file], upright: '/corpus/upright.png' });
          Object.assign(r.results, one.results);
          r.userAgent = one.userAgent;
        }
        pages[engine] = r;
      } finally {
        await page.close();
      }
      const r = pages[engine]!;
      const tried = Object.values(r.results).flatMap((k) => Object.entries(k));
      const unsupported = tried.filter(([, v]) => v.unsupported).map(([k, v]) => `${k}: ${v.unsupported}`);
      console.log(`${engine} (${r.userAgent}): ${tried.length} analyses, unsupported kinds: ${[...new Set(unsupported)].join('; ') || 'none'}`);
      console.log(table(engine, r));
      // Every file went through at least the Blob path.
      for (const f of files) expect(r.results[f.name]?.blob, `${engine} ${f.name}`).toBeDefined();
      expect(compareToNode(engine, r)).toEqual([]);
    }, 900_000);
  }
});

/** One line per file: Node vs this engine (faces / quality or error), for the issue's table. */
function table(engine: EngineName, r: PageResult): string {
  const cell = (o?: NodeOutcome) => (!o ? '—' : o.error ?? `${o.faces!.length} face(s)${o.faces!.length ? `, q ${o.faces![0].quality.toFixed(2)}, sim ${o.similarity?.toFixed(4)}` : ''}`);
  return files.map((f) => `  ${f.name.padEnd(16)} Node: ${cell(node[f.name]).padEnd(34)} ${engine}: ${cell(r.results[f.name]?.blob)}`).join('\n');
}
