/**
 * npx tsx tools/attributes/eval-attributes.ts [--only landmarks,pose,eyes,mouth,luminance,occlusion,quality,timing]
 * The validation figures of docs/attributes.md, on the labelled sets in ../shared/data:
 * AFW (landmarks, pose, real occlusions), Yale (eyes, mouth, light), LFW View 1 test (occlusion,
 * quality and verification accuracy split by quality). Takes ~10 minutes on 2 cores.
 */
import { exactFaceLuminance } from '../../test/support/luminance-reference.js';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import {
  eyeAspectRatio, faceOutline, headPose, insidePolygon, mouthGapRatio, type HeadPose,
} from 'face-compare-sdk/internal';
import { decodePoseOutputs, POSE_INPUT, preparePoseInput } from './pose-model.js';
import { calibratedSimilarity, PLATFORM_THRESHOLD } from 'face-compare-sdk/internal';
import type { Detection } from 'face-compare-sdk/internal';
import { cosine } from 'face-compare-sdk/internal';
import type { AnalyzedFace, FaceEngine, PreparedImage } from 'face-compare-sdk/internal';
import type { RgbaImage } from 'face-compare-sdk/internal';
import { nme } from '../../test/support/nme.js';
import { landmarksInVariantCrop, type VariantCrop } from '../lib/landmark-variants.js';
import { boxCrop, LEFT_EYE, refineCrop, RIGHT_EYE, type CropGeometry, type Landmarks68 } from 'face-compare-sdk/internal';
import { MODELS } from 'face-compare-sdk/internal';
import type { Face } from 'face-compare-sdk/internal';
import { sha256Hex } from 'face-compare-sdk/internal';
import { createNodeEngine, decodeNodeImage, DEFAULT_MODELS_DIR } from 'face-compare-sdk/internal';
import { rocAuc } from 'face-compare-sdk/internal';
import { coverage, namedTexture, paint, randomOccluder, regionShape, REGIONS, rng, TEXTURES, type Planar, type Shape } from '../../test/support/occluders.js';
import { downscale, fromPlanar, gaussianBlur, mirror, scaleBrightness, toPlanar } from '../../test/support/transforms.js';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (s: string) => !only || only.has(s);

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const AFW = `${DATA}afw_300w/`, YALE = `${DATA}yalefaces/images/`, LFW = `${DATA}lfw-view1/`;
const FIX = new URL('../../test/fixtures/', import.meta.url).pathname;

ort.env.wasm.numThreads = 1;
const engine = await createNodeEngine();

// ---------- small statistics ----------
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const pct = (v: number[], p: number) => sorted(v)[Math.min(v.length - 1, Math.floor(p * v.length))];
const median = (v: number[]) => pct(v, 0.5);
const pearson = (a: number[], b: number[]) => {
  const ma = mean(a), mb = mean(b);
  let s = 0, sa = 0, sb = 0;
  a.forEach((x, i) => { s += (x - ma) * (b[i] - mb); sa += (x - ma) ** 2; sb += (b[i] - mb) ** 2; });
  return s / Math.sqrt(sa * sb);
};
const mae = (a: number[], b: number[]) => mean(a.map((x, i) => Math.abs(x - b[i])));
const f = (v: number, d = 2) => v.toFixed(d);
const pc = (v: number, d = 2) => `${(100 * v).toFixed(d)} %`;
const auc = (pos: number[], neg: number[]) => rocAuc([...pos.map((score) => ({ score, same: true })), ...neg.map((score) => ({ score, same: false }))]);
function table(head: string[], rows: (string | number)[][]): void {
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
}
const section = (t: string) => console.log(`\n## ${t}\n`);

// ---------- data ----------
interface AfwFace { k: number; image: string; truth: number[] }
const afwFaces: AfwFace[] = (JSON.parse(readFileSync(`${AFW}landmarks.json`, 'utf8')) as { image: string; points: number[][] }[])
  .map((a, k) => ({ k, image: a.image, truth: a.points.flat() }));
const yaleRows = readFileSync(`${DATA}yalefaces/attributes.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const lfwPairs = readFileSync(`${LFW}pairs_test.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).map(([a, b, s]) => ({ a, b, same: s.trim() === '1' }));
const lfwImages = [...new Set(lfwPairs.flatMap((p) => [p.a, p.b]))];
const wink = JSON.parse(readFileSync(`${FIX}yale-wink.json`, 'utf8')).closed as Record<string, string>;
const afwOcc = JSON.parse(readFileSync(`${FIX}afw-occlusion.json`, 'utf8')) as { sunglasses: number[]; hand_or_object: number[] };

const largest = (d: Detection[]) => [...d].sort((a, b) => (b.x2 - b.x1) * (b.y2 - b.y1) - (a.x2 - a.x1) * (a.y2 - a.y1))[0];
/** The detection whose box holds the centre of the annotated points (nearest centre first). */
function matchBox(boxes: Detection[], pts: ArrayLike<number>): Detection | undefined {
  let x1 = Infinity, x2 = -Infinity, y1 = Infinity, y2 = -Infinity;
  for (let i = 0; i < 68; i++) { x1 = Math.min(x1, pts[2 * i]); x2 = Math.max(x2, pts[2 * i]); y1 = Math.min(y1, pts[2 * i + 1]); y2 = Math.max(y2, pts[2 * i + 1]); }
  const cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
  return boxes.filter((b) => b.x1 < cx && cx < b.x2 && b.y1 < cy && cy < b.y2)
    .sort((a, b) => Math.hypot((a.x1 + a.x2) / 2 - cx, (a.y1 + a.y2) / 2 - cy) - Math.hypot((b.x1 + b.x2) / 2 - cx, (b.y1 + b.y2) / 2 - cy))[0];
}
async function analyzeMain(img: RgbaImage): Promise<AnalyzedFace | null> {
  try {
    return (await engine.mainFace({ image: img, toSource: 1 })).value;
  } catch {
    return null;
  }
}

/** The analysed face of one detection in a photo (analyze() rounds the same boxes). */
const analyzedCache = new WeakMap<RgbaImage, AnalyzedFace[]>();
async function faceAt(img: RgbaImage, box: Detection): Promise<AnalyzedFace | undefined> {
  let faces = analyzedCache.get(img);
  if (!faces) { faces = (await engine.analyze({ image: img, toSource: 1 })).value; analyzedCache.set(img, faces); }
  return faces.find((x) => x.face.x1 === Math.round(box.x1) && x.face.y1 === Math.round(box.y1) && x.face.x2 === Math.round(box.x2));
}

/** AFW faces with their decoded photo (working resolution), the matched box and the truth there. */
async function* afwDetected(): AsyncGenerator<{ face: AfwFace; img: RgbaImage; box: Detection; truth: number[] }> {
  let cur = '', p: PreparedImage | null = null, boxes: Detection[] = [];
  for (const face of afwFaces) {
    if (face.image !== cur) { p = await decodeNodeImage(`${AFW}images/${face.image}`); boxes = await engine.detect(p.image); cur = face.image; }
    const truth = face.truth.map((v) => v / p!.toSource);
    const box = matchBox(boxes, truth);
    if (box) yield { face, img: p!.image, box, truth };
  }
}

let frPose: ort.InferenceSession | null = null;
async function poseNet(img: RgbaImage, box: Detection): Promise<HeadPose> {
  if (!frPose) {
    const bytes = new Uint8Array(readFileSync(`${DEFAULT_MODELS_DIR}/${MODELS.fr_pose!.file}`));
    if ((await sha256Hex(bytes)) !== MODELS.fr_pose!.sha256) throw new Error('fr_pose.onnx does not match models/manifest.json');
    frPose = await ort.InferenceSession.create(bytes);
  }
  const out = await frPose.run({ input: new ort.Tensor('float32', preparePoseInput(img, box), [1, 3, POSE_INPUT, POSE_INPUT]) });
  const raw = decodePoseOutputs({ output: out.output.data as Float32Array, '617': out['617'].data as Float32Array, '618': out['618'].data as Float32Array });
  // HopeNet's pitch is nose-up positive; the platform's (ours) is nose-down positive.
  return { yaw: raw.yaw, pitch: -raw.pitch, roll: raw.roll };
}
const mirrorBox = (b: Detection, W: number): Detection => ({ ...b, x1: W - b.x2, x2: W - b.x1 });

// ================= landmarks =================
const afwYaw = new Map<number, number>(); // |yaw| of the annotated points' fit, per AFW face
for (const a of afwFaces) afwYaw.set(a.k, Math.abs(headPose(Float32Array.from(a.truth)).yaw));

if (want('landmarks')) {
  section('Landmarks: AFW NME (mean point error / outer-eye-corner distance)');
  const oldCrop = (b: Detection, scale: number, shiftY: number): VariantCrop => {
    const w = b.x2 - b.x1, h = b.y2 - b.y1;
    return { cx: (b.x1 + b.x2) / 2, cy: (b.y1 + b.y2) / 2 + shiftY * h, size: w * scale, angle: 0, aspect: h / w };
  };
  const avg = (a: Landmarks68, b: Landmarks68) => a.map((v, i) => (v + b[i]) / 2) as Landmarks68;
  type Variant = { name: string; runs: number; run: (img: RgbaImage, b: Detection) => Promise<Landmarks68> };
  const L = (img: RgbaImage, g: VariantCrop, m = false) => landmarksInVariantCrop(img, g, m);
  const variants: Variant[] = [
    { name: 'reference crop: bare detector box, stretched', runs: 1, run: (i, b) => L(i, oldCrop(b, 1, 0)) },
    { name: 'previous: box x1.05, +8 % down, stretched', runs: 1, run: (i, b) => L(i, oldCrop(b, 1.05, 0.08)) },
    { name: 'square crop √(wh) x1.1, +12 % down', runs: 1, run: (i, b) => L(i, boxCrop(b)) },
    { name: 'square crop + flip average', runs: 2, run: async (i, b) => avg(await L(i, boxCrop(b)), await L(i, boxCrop(b), true)) },
    { name: '**square + second pass (shipped)**', runs: 2, run: async (i, b) => L(i, refineCrop(await L(i, boxCrop(b)))) },
    { name: 'square + second pass + flip average', runs: 3, run: async (i, b) => { const g = refineCrop(await L(i, boxCrop(b))); return avg(await L(i, g), await L(i, g, true)); } },
    { name: 'three passes + flip average', runs: 4, run: async (i, b) => { const g = refineCrop(await L(i, refineCrop(await L(i, boxCrop(b))))); return avg(await L(i, g), await L(i, g, true)); } },
  ];
  const errs = variants.map(() => [] as { e: number; frontal: boolean }[]);
  let n = 0, missed = afwFaces.length;
  for await (const { face, img, box, truth } of afwDetected()) {
    n++; missed--;
    for (const [vi, v] of variants.entries()) errs[vi].push({ e: nme(await v.run(img, box), truth), frontal: afwYaw.get(face.k)! < 30 });
  }
  const nf = errs[0].filter((x) => x.frontal).length;
  console.log(`${n} of ${afwFaces.length} annotated faces detected (${missed} missed); |yaw| < 30°: ${nf}, ≥ 30°: ${n - nf} (yaw of the annotated points' fit)\n`);
  table(['landmark stage', 'model runs', 'NME mean', 'median', '> 10 %', '|yaw| < 30°', '|yaw| ≥ 30°'],
    variants.map((v, i) => {
      const e = errs[i].map((x) => x.e);
      return [v.name, v.runs, pc(mean(e)), pc(median(e)), e.filter((x) => x > 0.1).length, pc(mean(errs[i].filter((x) => x.frontal).map((x) => x.e))), pc(mean(errs[i].filter((x) => !x.frontal).map((x) => x.e)))];
    }));
}

// ================= pose =================
if (want('pose')) {
  section('Pose: landmark fit vs fr_pose on AFW (reference: the fit of the annotated points)');
  const ref: HeadPose[] = [], fit: HeadPose[] = [], net: HeadPose[] = [], fitM: HeadPose[] = [], netM: HeadPose[] = [];
  let tNet = 0, tFit = 0, runs = 0;
  let mirrorCur = '', mimg: RgbaImage | null = null;
  for await (const { face, img, box, truth } of afwDetected()) {
    if (face.image !== mirrorCur) { mimg = mirror(img); mirrorCur = face.image; }
    ref.push(headPose(Float32Array.from(truth)));
    const pts = await engine.landmarks(img, box);
    let t = performance.now();
    fit.push(headPose(pts));
    tFit += performance.now() - t;
    t = performance.now();
    net.push(await poseNet(img, box));
    tNet += performance.now() - t; runs++;
    const mb = mirrorBox(box, img.width);
    fitM.push(headPose(await engine.landmarks(mimg!, mb)));
    netM.push(await poseNet(mimg!, mb));
  }
  const A = ['yaw', 'pitch', 'roll'] as const;
  const col = (v: HeadPose[], a: (typeof A)[number]) => v.map((p) => p[a]);
  console.log(`${ref.length} detected AFW faces; yaw of the reference: median |yaw| ${f(median(col(ref, 'yaw').map(Math.abs)), 1)}°, max ${f(Math.max(...col(ref, 'yaw').map(Math.abs)), 1)}°\n`);
  const bias = (a: number[], b: number[]) => mean(a.map((x, i) => x - b[i]));
  table(['angle', 'fit: MAE vs reference', 'fit: r', 'fr_pose: MAE', 'fr_pose: r', 'fr_pose: bias', 'fr_pose: MAE after removing bias', 'fr_pose slope vs reference'],
    A.map((a) => {
      const r = col(ref, a), p = col(fit, a), q = col(net, a), b = bias(q, r);
      const mr = mean(r), mq = mean(q);
      const slope = r.reduce((s, x, i) => s + (x - mr) * (q[i] - mq), 0) / r.reduce((s, x) => s + (x - mr) ** 2, 0);
      return [a, `${f(mae(p, r), 2)}°`, f(pearson(p, r), 3), `${f(mae(q, r), 2)}°`, f(pearson(q, r), 3), `${f(b, 1)}°`, `${f(mae(q.map((x) => x - b), r), 2)}°`, f(slope, 2)];
    }));
  console.log('Mirrored photos (yaw and roll must flip sign, pitch must stay): mean |yaw + yaw′|, |pitch − pitch′|, |roll + roll′|\n');
  const flip = (o: HeadPose[], m: HeadPose[], a: (typeof A)[number]) => mean(o.map((p, i) => Math.abs(a === 'pitch' ? p[a] - m[i][a] : p[a] + m[i][a])));
  const signOk = (o: HeadPose[], m: HeadPose[]) => o.filter((p, i) => Math.abs(p.yaw) > 5 && Math.sign(p.yaw) === -Math.sign(m[i].yaw)).length + ' / ' + o.filter((p) => Math.abs(p.yaw) > 5).length;
  table(['method', 'yaw', 'pitch', 'roll', 'yaw sign flipped (|yaw| > 5°)'], [
    ['landmark fit', `${f(flip(fit, fitM, 'yaw'))}°`, `${f(flip(fit, fitM, 'pitch'))}°`, `${f(flip(fit, fitM, 'roll'))}°`, signOk(fit, fitM)],
    ['fr_pose', `${f(flip(net, netM, 'yaw'))}°`, `${f(flip(net, netM, 'pitch'))}°`, `${f(flip(net, netM, 'roll'))}°`, signOk(net, netM)],
  ]);
  console.log(`Cost per face: landmark fit ${f(tFit / runs, 3)} ms, fr_pose ${f(tNet / runs, 1)} ms (one wasm thread) plus its 5.8 MB model.\n`);
  // Frontal faces: Yale's lab photos taken straight on.
  const fr: number[][] = [], nt: number[][] = [];
  for (const [image, , cond] of yaleRows) {
    if (!['normal', 'centerlight', 'glasses', 'noglasses', 'happy', 'sad'].includes(cond)) continue;
    const p = await decodeNodeImage(YALE + image);
    const b = largest(await engine.detect(p.image));
    if (!b) continue;
    const a = headPose(await engine.landmarks(p.image, b)), q = await poseNet(p.image, b);
    fr.push([a.yaw, a.pitch, a.roll]); nt.push([q.yaw, q.pitch, q.roll]);
  }
  table(['Yale frontal photos (89)', 'median yaw', 'median pitch', 'median roll'], [
    ['landmark fit', ...[0, 1, 2].map((i) => `${f(median(fr.map((r) => r[i])), 1)}°`)],
    ['fr_pose', ...[0, 1, 2].map((i) => `${f(median(nt.map((r) => r[i])), 1)}°`)],
  ]);
  const ex = JSON.parse(readFileSync(`${DATA}../spec/compare_face.example.json`, 'utf8'));
  table(['example face', 'platform yaw / pitch / roll', 'fit of its landmarks'], ['face1', 'face2'].map((k) => {
    const e = ex[k], a = headPose(Float32Array.from(e.landmark_68.flatMap((p: { x: number; y: number }) => [p.x, p.y])));
    return [k, `${f(e.yaw, 1)} / ${f(e.pitch, 1)} / ${f(e.roll, 1)}`, `${f(a.yaw, 1)} / ${f(a.pitch, 1)} / ${f(a.roll, 1)}`];
  }));
}

// ================= eyes =================
const yaleFaces = new Map<string, { img: RgbaImage; face: Face; pts: Landmarks68 }>();
async function yale(image: string) {
  let v = yaleFaces.get(image);
  if (!v) {
    const p = await decodeNodeImage(YALE + image);
    const b = largest(await engine.detect(p.image));
    const face = (await analyzeMain(p.image))!.face;
    v = { img: p.image, face, pts: await engine.landmarks(p.image, b) };
    yaleFaces.set(image, v);
  }
  return v;
}

if (want('eyes')) {
  section('Eyes: fr_eye on Yale (left = the subject\'s left, points 42–47)');
  const labelled = Object.entries(wink).filter(([, v]) => v === 'left').map(([k]) => k);
  const rows: (string | number)[][] = [];
  let lr = 0, lrM = 0, earOk = 0;
  const L: number[] = [], R: number[] = [], Lm: number[] = [], Rm: number[] = [];
  for (const image of labelled) {
    const { img, face, pts } = await yale(image);
    const m = (await analyzeMain(mirror(img)))!.face;
    L.push(face.left_eye_closed); R.push(face.right_eye_closed); Lm.push(m.left_eye_closed); Rm.push(m.right_eye_closed);
    if (face.left_eye_closed > face.right_eye_closed) lr++;
    if (m.right_eye_closed > m.left_eye_closed) lrM++;
    if (eyeAspectRatio(pts, LEFT_EYE) < eyeAspectRatio(pts, RIGHT_EYE)) earOk++;
    rows.push([image, f(face.left_eye_closed), f(face.right_eye_closed), f(m.left_eye_closed), f(m.right_eye_closed), f(eyeAspectRatio(pts, LEFT_EYE), 3), f(eyeAspectRatio(pts, RIGHT_EYE), 3)]);
  }
  table(['wink photo (left eye closed)', 'left_eye_closed', 'right_eye_closed', 'mirrored: left', 'mirrored: right', 'EAR left', 'EAR right'], rows);
  console.log(`left > right on ${lr}/${labelled.length} winks (mean ${f(mean(L))} vs ${f(mean(R))}); mirrored: right > left on ${lrM}/${labelled.length} (mean right ${f(mean(Rm))} vs left ${f(mean(Lm))}); eye aspect ratio lower on the closed eye in ${earOk}/${labelled.length}.\n`);
  const byCond = new Map<string, number[]>(), earAll: number[] = [], pAll: number[] = [];
  for (const [image, , cond] of yaleRows) {
    const { face, pts } = await yale(image);
    byCond.set(cond, [...(byCond.get(cond) ?? []), face.left_eye_closed, face.right_eye_closed]);
    earAll.push(eyeAspectRatio(pts, LEFT_EYE), eyeAspectRatio(pts, RIGHT_EYE)); pAll.push(face.left_eye_closed, face.right_eye_closed);
  }
  table(['Yale condition', 'eyes', 'mean closed probability', 'share > 0.5'], [...byCond.entries()].map(([c, v]) => [c, v.length, f(mean(v)), pc(v.filter((x) => x > 0.5).length / v.length, 0)]));
  console.log(`Cross-check with the eye aspect ratio over all ${pAll.length} Yale eyes: Pearson r(closed probability, EAR) = ${f(pearson(pAll, earAll), 3)}.`);
  const sleepy = byCond.get('sleepy')!, open = ['normal', 'centerlight', 'happy', 'glasses', 'noglasses', 'surprised', 'leftlight', 'rightlight', 'sad'].flatMap((c) => byCond.get(c) ?? []);
  console.log(`AUC sleepy vs open-eye conditions: fr_eye ${f(auc(sleepy, open), 3)}.\n`);
  const lfwClosed: number[] = [];
  for (const im of lfwImages.slice(0, 300)) {
    const a = await analyzeMain((await decodeNodeImage(`${LFW}images/${im}`)).image);
    if (a) lfwClosed.push(Math.max(a.face.left_eye_closed, a.face.right_eye_closed));
  }
  console.log(`LFW test (first 300 photos): an eye reads closed (> 0.5) on ${pc(lfwClosed.filter((x) => x > 0.5).length / lfwClosed.length, 1)} of faces.\n`);
}

// ================= mouth =================
if (want('mouth')) {
  section('Mouth: Yale surprised vs normal');
  const by = new Map<string, { v: number; r: number }[]>();
  for (const [image, , cond] of yaleRows) {
    const { face, pts } = await yale(image);
    by.set(cond, [...(by.get(cond) ?? []), { v: face.mouth_opened, r: mouthGapRatio(pts) }]);
  }
  table(['condition', 'photos', 'mouth_opened mean', 'min', 'median', 'max', 'gap / width median'], [...by.entries()].map(([c, v]) => {
    const m = v.map((x) => x.v);
    return [c, v.length, f(mean(m)), f(Math.min(...m)), f(median(m)), f(Math.max(...m)), f(median(v.map((x) => x.r)), 3)];
  }));
  const s = by.get('surprised')!.map((x) => x.v), n = by.get('normal')!.map((x) => x.v);
  console.log(`AUC surprised vs normal ${f(auc(s, n), 3)}; surprised > 0.1: ${s.filter((x) => x > 0.1).length}/${s.length}; normal = 0: ${n.filter((x) => x === 0).length}/${n.length}.\n`);
}

// ================= luminance =================
if (want('luminance')) {
  section('Luminance: BT.601 luma over the face outline');
  const by = new Map<string, number[]>();
  for (const [image, , cond] of yaleRows) by.set(cond, [...(by.get(cond) ?? []), (await yale(image)).face.face_luminance]);
  table(['Yale condition', 'mean face_luminance', 'min', 'max'], [...by.entries()].map(([c, v]) => [c, f(mean(v), 1), f(Math.min(...v), 1), f(Math.max(...v), 1)]));
  // The region is the face: side light shows up as a bright and a dark half on either side of the nose line.
  const halves = new Map<string, number[]>();
  for (const [image, , cond] of yaleRows) {
    if (!['leftlight', 'rightlight', 'centerlight', 'normal'].includes(cond)) continue;
    const { img, pts } = await yale(image);
    const poly = faceOutline(pts), nose = (pts[54] + pts[56] + pts[58] + pts[60]) / 4;
    const sum = [0, 0], n = [0, 0];
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
      if (!insidePolygon(x + 0.5, y + 0.5, poly)) continue;
      const i = 4 * (y * img.width + x), side = x + 0.5 < nose ? 0 : 1;
      sum[side] += 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2]; n[side]++;
    }
    halves.set(cond, [...(halves.get(cond) ?? []), sum[0] / n[0] / (sum[1] / n[1])]);
  }
  table(['Yale condition', 'image-left half / image-right half of the face (luma)', 'photos with the left half brighter'],
    [...halves.entries()].map(([c, v]) => [c, `${f(median(v))} (median)`, `${v.filter((x) => x > 1).length}/${v.length}`]));
  const paired = yaleRows.filter(([, , c]) => c === 'leftlight' || c === 'rightlight').map(([image, id]) => [image, `${id}.normal`]);
  const darker: number[] = [];
  for (const [side, normal] of paired) darker.push((await yale(side)).face.face_luminance / (await yale(normal)).face.face_luminance);
  console.log(`Side-lit photos against the same subject's "normal" photo: face_luminance ratio median ${f(median(darker))} (${darker.filter((x) => x < 1).length}/${darker.length} darker).\n`);
  // Brute force: every source pixel inside the outline, no grid.
  const direct = exactFaceLuminance;
  const diffs: number[] = [], ratios = new Map<number, number[]>();
  for (const im of lfwImages.slice(0, 60)) {
    const img = (await decodeNodeImage(`${LFW}images/${im}`)).image;
    const a = await analyzeMain(img);
    if (!a) continue;
    const pts = Float32Array.from(a.face.landmark_68.flatMap((p) => [p.x, p.y]));
    diffs.push(Math.abs(a.face.face_luminance - direct(img, pts)));
    for (const k of [0.25, 0.5, 0.75, 1.25]) {
      const b = await analyzeMain(scaleBrightness(img, k));
      if (b) ratios.set(k, [...(ratios.get(k) ?? []), b.face.face_luminance / a.face.face_luminance]);
    }
  }
  console.log(`LFW (60 photos): |face_luminance − exact per-pixel mean inside the outline| mean ${f(mean(diffs))}, max ${f(Math.max(...diffs))} (0–255).\n`);
  table(['brightness x k', 'mean ratio luminance(k) / luminance(1)', 'min', 'max'], [...ratios.entries()].map(([k, v]) => [k, f(mean(v), 3), f(Math.min(...v), 3), f(Math.max(...v), 3)]));
}

// ================= occlusion =================
/** The share of the face outline (clean landmarks) covered by a coverage map. */
function coveredShare(alpha: Float32Array, W: number, pts: ArrayLike<number>): number {
  const poly = faceOutline(pts);
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (let i = 0; i < poly.length; i += 2) { x1 = Math.min(x1, poly[i]); x2 = Math.max(x2, poly[i]); y1 = Math.min(y1, poly[i + 1]); y2 = Math.max(y2, poly[i + 1]); }
  let inF = 0, cov = 0;
  for (let y = Math.max(0, Math.floor(y1)); y < Math.ceil(y2); y++) for (let x = Math.max(0, Math.floor(x1)); x < Math.min(W, Math.ceil(x2)); x++) {
    if (!insidePolygon(x + 0.5, y + 0.5, poly)) continue;
    inF++; cov += alpha[y * W + x] ?? 0;
  }
  return cov / Math.max(1, inF);
}
function occlude(img: RgbaImage, shape: Shape, tex: Parameters<typeof paint>[2]): { img: RgbaImage; alpha: Float32Array } {
  const p = toPlanar(img), alpha = coverage(shape, img.width, img.height);
  paint(p, alpha, tex);
  return { img: fromPlanar(p), alpha };
}
const toneOf = (img: RgbaImage, pts: ArrayLike<number>): [number, number, number] => {
  // Median colour of the cheek below the subject's right eye.
  const x = Math.round((pts[2 * 41] + pts[2 * 31]) / 2), y = Math.round((pts[2 * 41 + 1] + pts[2 * 48 + 1]) / 2), i = 4 * (y * img.width + x);
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
};

if (want('occlusion')) {
  section('Occlusion');
  const clean: number[] = [];
  for (const im of lfwImages) {
    const a = await analyzeMain((await decodeNodeImage(`${LFW}images/${im}`)).image);
    if (a) clean.push(a.face.face_occlusion);
  }
  console.log(`Clean LFW View 1 test photos (${clean.length}): mean ${f(mean(clean), 3)}, median ${f(median(clean), 3)}, p90 ${f(pct(clean, 0.9), 3)}, p99 ${f(pct(clean, 0.99), 3)}, max ${f(Math.max(...clean), 3)}; > 0.2: ${pc(clean.filter((x) => x > 0.2).length / clean.length, 1)}.\n`);
  const yaleOcc = new Map<string, number[]>();
  for (const [image, , cond] of yaleRows) yaleOcc.set(cond, [...(yaleOcc.get(cond) ?? []), (await yale(image)).face.face_occlusion]);
  table(['Yale condition', 'mean face_occlusion', 'max'], [...yaleOcc.entries()].map(([c, v]) => [c, f(mean(v), 3), f(Math.max(...v), 3)]));

  // Synthetic occluders pasted in the photo, the whole pipeline rerun.
  const faces: { img: RgbaImage; pts: Landmarks68; ed: number }[] = [];
  for (const im of lfwImages.slice(0, 40)) {
    const img = (await decodeNodeImage(`${LFW}images/${im}`)).image;
    const a = await analyzeMain(img);
    if (a) faces.push({ img, pts: Float32Array.from(a.face.landmark_68.flatMap((p) => [p.x, p.y])), ed: a.face.eye_dist });
  }
  const naturals: Planar[] = faces.map(({ img }) => toPlanar(downscale(img, 0.25))).map((p) => ({ width: 24, height: 24, rgb: cut(p, 24) }));
  function cut(p: Planar, s: number): Float32Array {
    const out = new Float32Array(3 * s * s), n = p.width * p.height;
    for (let c = 0; c < 3; c++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) out[c * s * s + y * s + x] = p.rgb[c * n + y * p.width + x];
    return out;
  }
  const r = rng(11);
  const cells: string[][] = [];
  const allPts: { share: number; score: number }[] = [];
  for (const tex of TEXTURES) {
    const row: string[] = [tex];
    for (const reg of REGIONS) {
      const shares: number[] = [], scores: number[] = [];
      for (const [i, fc] of faces.entries()) {
        const { img, alpha } = occlude(fc.img, regionShape(reg, fc.pts), namedTexture(tex, r, fc.ed, toneOf(fc.img, fc.pts), naturals[(i + 7) % naturals.length]));
        const a = await analyzeMain(img);
        const share = coveredShare(alpha, img.width, fc.pts);
        shares.push(share); scores.push(a ? a.face.face_occlusion : NaN);
        allPts.push({ share, score: a ? a.face.face_occlusion : NaN });
      }
      row.push(`${f(mean(shares))} → ${f(mean(scores.filter((x) => !Number.isNaN(x))))}`);
    }
    cells.push(row);
  }
  console.log(`Synthetic occluders on ${faces.length} LFW test faces (covered share of the face → mean face_occlusion); the pipeline runs on the occluded photo:\n`);
  table(['texture', ...REGIONS], cells);
  // Random occluders of every size: the curve.
  for (const [i, fc] of faces.entries()) {
    for (let t = 0; t < 8; t++) {
      const { shape, texture } = randomOccluder(r, fc.pts, toneOf(fc.img, fc.pts), [naturals[(i + t) % naturals.length]]);
      const { img, alpha } = occlude(fc.img, shape, texture);
      const a = await analyzeMain(img);
      allPts.push({ share: coveredShare(alpha, img.width, fc.pts), score: a ? a.face.face_occlusion : NaN });
    }
  }
  const bins = [0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.6, 0.8, 1.01];
  const ok = allPts.filter((p) => !Number.isNaN(p.score));
  table(['covered share of the face', 'occluded photos', 'mean face_occlusion', 'median', 'p10–p90'], bins.slice(0, -1).map((lo, i) => {
    const v = ok.filter((p) => p.share >= lo && p.share < bins[i + 1]).map((p) => p.score);
    return [`${f(lo)}–${f(Math.min(1, bins[i + 1]))}`, v.length, v.length ? f(mean(v)) : '–', v.length ? f(median(v)) : '–', v.length ? `${f(pct(v, 0.1))}–${f(pct(v, 0.9))}` : '–'];
  }));
  const rank = (v: number[]) => { const s = v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]); const out = new Array(v.length); s.forEach(([, i], k) => { out[i] = k; }); return out; };
  console.log(`All ${ok.length} occluded photos: Spearman ρ(covered share, face_occlusion) = ${f(pearson(rank(ok.map((p) => p.share)), rank(ok.map((p) => p.score))), 3)}; no face found on ${allPts.length - ok.length}.\n`);

  // Real occlusions in AFW.
  const groups = { sunglasses: [] as number[], hand_or_object: [] as number[], other: [] as number[] };
  for await (const { face, img, box } of afwDetected()) {
    const a = await faceAt(img, box);
    if (!a) continue;
    const g = afwOcc.sunglasses.includes(face.k) ? 'sunglasses' : afwOcc.hand_or_object.includes(face.k) ? 'hand_or_object' : 'other';
    groups[g].push(a.face.face_occlusion);
  }
  table(['AFW faces (real)', 'n', 'mean face_occlusion', 'median', 'AUC vs the other AFW faces'], [
    ['dark sunglasses', groups.sunglasses.length, f(mean(groups.sunglasses), 3), f(median(groups.sunglasses), 3), f(auc(groups.sunglasses, groups.other), 3)],
    ['hand or object in front', groups.hand_or_object.length, f(mean(groups.hand_or_object), 3), f(median(groups.hand_or_object), 3), f(auc(groups.hand_or_object, groups.other), 3)],
    ['all other AFW faces', groups.other.length, f(mean(groups.other), 3), f(median(groups.other), 3), '–'],
  ]);
}

// ================= quality =================
if (want('quality')) {
  section('Quality');
  const base: { img: RgbaImage; q: number }[] = [];
  for (const im of lfwImages.slice(0, 60)) {
    const img = (await decodeNodeImage(`${LFW}images/${im}`)).image;
    const a = await analyzeMain(img);
    if (a) base.push({ img, q: a.face.face_quality });
  }
  const degr: [string, (i: RgbaImage) => RgbaImage][] = [
    ['blur σ = 1 px', (i) => gaussianBlur(i, 1)], ['blur σ = 2 px', (i) => gaussianBlur(i, 2)], ['blur σ = 3 px', (i) => gaussianBlur(i, 3)],
    ['brightness x 0.5', (i) => scaleBrightness(i, 0.5)], ['brightness x 0.25', (i) => scaleBrightness(i, 0.25)], ['brightness x 0.12', (i) => scaleBrightness(i, 0.12)],
    ['downscaled to 1/2', (i) => downscale(i, 0.5)], ['downscaled to 1/3', (i) => downscale(i, 1 / 3)], ['downscaled to 1/4', (i) => downscale(i, 0.25)],
  ];
  const rows: (string | number)[][] = [['original', base.length, f(mean(base.map((b) => b.q))), '–']];
  for (const [name, fn] of degr) {
    const q: number[] = [], lower: number[] = [];
    for (const b of base) {
      const a = await analyzeMain(fn(b.img));
      const v = a ? a.face.face_quality : 0; // no face found: unusable
      q.push(v); if (v < b.q) lower.push(1);
    }
    rows.push([name, q.length, f(mean(q)), `${lower.length}/${q.length}`]);
  }
  console.log('LFW View 1 test faces, degraded copies:\n');
  table(['image', 'faces', 'mean face_quality', 'lower than the original'], rows);
  // Turned faces: AFW by |yaw| of the annotated points' fit.
  const byYaw = new Map<string, number[]>();
  for await (const { face, img, box } of afwDetected()) {
    const a = await faceAt(img, box);
    if (!a) continue;
    const yaw = afwYaw.get(face.k)!;
    const bin = yaw < 15 ? '0–15°' : yaw < 30 ? '15–30°' : yaw < 45 ? '30–45°' : '≥ 45°';
    byYaw.set(bin, [...(byYaw.get(bin) ?? []), a.face.face_quality]);
  }
  table(['AFW faces by |yaw|', 'n', 'mean face_quality'], ['0–15°', '15–30°', '30–45°', '≥ 45°'].map((b) => [b, byYaw.get(b)?.length ?? 0, f(mean(byYaw.get(b) ?? []))]));

  // Verification accuracy by pair quality on LFW View 1 test.
  const emb = new Map<string, { e: Float32Array; q: number } | null>();
  for (const im of lfwImages) {
    const a = await analyzeMain((await decodeNodeImage(`${LFW}images/${im}`)).image);
    emb.set(im, a ? { e: await engine.embed(a.alignedTensor), q: a.face.face_quality } : null);
  }
  const pairs = lfwPairs.map((p) => {
    const a = emb.get(p.a), b = emb.get(p.b);
    if (!a || !b) return { ...p, q: 0, ok: false, score: 0 };
    const score = calibratedSimilarity(cosine(a.e, b.e));
    return { ...p, q: Math.min(a.q, b.q), ok: (score >= PLATFORM_THRESHOLD) === p.same, score };
  });
  const qs = pairs.map((p) => p.q), med = median(qs);
  const split = (name: string, sel: typeof pairs) => [name, sel.length, `${sel.filter((p) => p.same).length} / ${sel.filter((p) => !p.same).length}`,
    pc(sel.filter((p) => p.ok).length / sel.length), sel.filter((p) => !p.ok).length, f(rocAuc(sel.map((p) => ({ score: p.score, same: p.same }))), 4)];
  console.log(`LFW View 1 test pairs (1,000): the pair's quality is the lower of its two faces' (median ${f(med, 3)}).\n`);
  table(['pairs', 'n', 'same / different', 'accuracy at 0.7', 'errors', 'AUC'], [
    split('all', pairs),
    split(`lower quality ≥ median (${f(med, 3)})`, pairs.filter((p) => p.q >= med)),
    split(`lower quality < median`, pairs.filter((p) => p.q < med)),
    split('lower quality ≥ 0.5', pairs.filter((p) => p.q >= 0.5)),
    split('lower quality < 0.5', pairs.filter((p) => p.q < 0.5)),
    split('lowest 10 % quality', pairs.filter((p) => p.q <= pct(qs, 0.1))),
  ]);
}

// ================= timing =================
if (want('timing')) {
  section('Cost per face (Node, one wasm thread)');
  const faces: { img: RgbaImage; box: Detection; pts: Landmarks68; a: AnalyzedFace }[] = [];
  for (const im of lfwImages.slice(0, 60)) {
    const img = (await decodeNodeImage(`${LFW}images/${im}`)).image;
    const a = await analyzeMain(img);
    if (!a) continue;
    const box = largest(await engine.detect(img));
    faces.push({ img, box, pts: await engine.landmarks(img, box), a });
  }
  const time = async (fn: (x: (typeof faces)[number]) => unknown) => {
    for (const x of faces.slice(0, 5)) await fn(x); // warm
    const t: number[] = [];
    for (const x of faces) { const t0 = performance.now(); await fn(x); t.push(performance.now() - t0); }
    return median(t);
  };
  const { alignFace } = await import('face-compare-sdk/internal');
  const { fivePoints } = await import('face-compare-sdk/internal');
  const A = await import('face-compare-sdk/internal');
  const rows: [string, number][] = [
    ['landmarks, first pass (square crop)', await time((x) => engine.landmarksInCrop(x.img, boxCrop(x.box)))],
    ['landmarks, both passes (shipped)', await time((x) => engine.landmarks(x.img, x.box))],
    ['eyes: fr_eye on both eyes, crop only', await time(async (x) => { for (const e of [LEFT_EYE, RIGHT_EYE]) await (engine as unknown as { models: { fr_eye: { run: (d: Float32Array, s: number[]) => Promise<unknown> } } }).models.fr_eye.run(A.prepareEyeInput(x.img, x.pts, e), [1, 1, 24, 24]); })],
    ['eyes: crop + mirrored crop (shipped)', await time(async (x) => { for (const e of [LEFT_EYE, RIGHT_EYE]) await engine.eyeClosed(x.img, x.pts, e); })],
    ['pose: mean-face fit', await time((x) => A.headPose(x.pts))],
    ['pose: fr_pose network (not shipped)', await time((x) => poseNet(x.img, x.box))],
    ['luminance', await time((x) => A.faceLuminance(x.img, x.pts))],
    ['occlusion (28x28 warp, features, perceptron)', await time((x) => { const { srcToCrop } = alignFace(x.img, fivePoints(x.pts)); return A.faceOcclusion(A.occlusionInput(x.img, srcToCrop), A.faceCellMask(x.pts, srcToCrop)); })],
    ['quality (sharpness + factors)', await time((x) => A.faceQuality({ sharpness: A.sharpness(A.alignedLuma(x.a.alignedTensor)), eyeDist: 40, yaw: 0, pitch: 0, luminance: 100, occlusion: 0 }))],
  ];
  table(['step', 'median ms per face'], rows.map(([n, v]) => [n, f(v, 2)]));
  const lm: number[] = [], at: number[] = [];
  for (const x of faces) {
    const r = await engine.mainFace({ image: x.img, toSource: 1 }).catch(() => null);
    if (r) { lm.push(r.timings.landmarks); at.push(r.timings.attributes); }
  }
  console.log(`In the pipeline (median over ${faces.length} LFW faces): landmarks stage ${f(median(lm))} ms, attributes stage ${f(median(at))} ms.\n`);
}

await engine.dispose();
