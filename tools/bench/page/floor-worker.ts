/// <reference lib="webworker" />
/**
 * The benchmark's floor (issue #15): the SDK's three compare models run straight on onnxruntime-web,
 * detect → landmarks → embed per image, with only what a plain page would write around them —
 * canvas resizes and crops, one landmark pass, no attributes, no hashing, no warm-up. Same build of
 * onnxruntime-web, same wasm file, same thread count as the SDK's worker, so SDK ÷ floor is the
 * price of everything the SDK adds.
 */
import type * as OrtModule from 'onnxruntime-web';

type Ort = typeof OrtModule;
type Session = OrtModule.InferenceSession;

const MODEL_URLS = {
  detect: new URL('../../../models/fr_detect.onnx', import.meta.url).href,
  landmark: new URL('../../../models/fr_landmark.onnx', import.meta.url).href,
  feature: new URL('../../../models/fr_feature.onnx', import.meta.url).href,
};
type Name = keyof typeof MODEL_URLS;

// The models' contracts (models/manifest.json).
const DET_W = 320, DET_H = 240, LMK = 64, ALIGN = 112;
const ARCFACE: [number, number][] = [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];

let ort: Ort;
let sessions: Record<Name, Session>;

/** An 82-byte Identity model: creating its session is onnxruntime's wasm fetch + compile + instantiate, and nothing else. */
const IDENTITY = Uint8Array.from(atob('CAgSAXA6RQocCgF4EgF5GgpJZGVudGl0eV8wIghJZGVudGl0eRIBZ1IAWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ=='), (c) => c.charCodeAt(0));

async function init(numThreads: number) {
  const t = { import: 0, runtime: 0, sessions: {} as Record<string, number> };
  let s = performance.now();
  const fetches = Object.fromEntries(Object.entries(MODEL_URLS).map(([k, u]) => [k, fetch(u).then((r) => r.arrayBuffer())])) as Record<Name, Promise<ArrayBuffer>>;
  ort = (await import('onnxruntime-web/wasm')) as unknown as Ort;
  ort.env.wasm.numThreads = numThreads;
  t.import = performance.now() - s;
  s = performance.now();
  await (await ort.InferenceSession.create(IDENTITY)).release();
  t.runtime = performance.now() - s;
  const out = {} as Record<Name, Session>;
  for (const name of Object.keys(MODEL_URLS) as Name[]) {
    const bytes = new Uint8Array(await fetches[name]);
    s = performance.now();
    out[name] = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    t.sessions[name] = performance.now() - s;
  }
  sessions = out;
  return t;
}

const ctx2d = (w: number, h: number) => new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true })!;

async function run(name: Name, data: Float32Array, dims: number[]): Promise<Record<string, Float32Array>> {
  const s = sessions[name];
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', data, dims) });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}

async function embedImage(blob: Blob, stages: Record<string, number>): Promise<Float32Array> {
  let s = performance.now();
  const lap = (k: string) => { const n = performance.now(); stages[k] = (stages[k] ?? 0) + n - s; s = n; };
  const bmp = await createImageBitmap(blob);
  lap('decode');
  const W = bmp.width, H = bmp.height;

  // Detector: the whole image stretched to 320x240, RGB, (x − 127) / 128.
  const dc = ctx2d(DET_W, DET_H);
  dc.drawImage(bmp, 0, 0, DET_W, DET_H);
  const dp = dc.getImageData(0, 0, DET_W, DET_H).data;
  const dt = new Float32Array(3 * DET_W * DET_H);
  for (let i = 0, n = DET_W * DET_H; i < n; i++) for (let c = 0; c < 3; c++) dt[c * n + i] = (dp[4 * i + c] - 127) / 128;
  const det = await run('detect', dt, [1, 3, DET_H, DET_W]);
  let best = 0;
  for (let i = 1; i < det.scores.length / 2; i++) if (det.scores[2 * i + 1] > det.scores[2 * best + 1]) best = i;
  const [x1, y1, x2, y2] = [det.boxes[4 * best] * W, det.boxes[4 * best + 1] * H, det.boxes[4 * best + 2] * W, det.boxes[4 * best + 3] * H];
  lap('detect');

  // Landmarks: one square crop of the box, grey, x / 256.
  const side = 1.1 * Math.sqrt((x2 - x1) * (y2 - y1)), cx = (x1 + x2) / 2, cy = (y1 + y2) / 2 + 0.12 * (y2 - y1);
  const lc = ctx2d(LMK, LMK);
  lc.drawImage(bmp, cx - side / 2, cy - side / 2, side, side, 0, 0, LMK, LMK);
  const lp = lc.getImageData(0, 0, LMK, LMK).data;
  const lt = new Float32Array(LMK * LMK);
  for (let i = 0; i < lt.length; i++) lt[i] = (0.299 * lp[4 * i] + 0.587 * lp[4 * i + 1] + 0.114 * lp[4 * i + 2]) / 256;
  const pts = (await run('landmark', lt, [1, 1, LMK, LMK])).output;
  const pt = (i: number): [number, number] => [cx - side / 2 + pts[2 * i] * side, cy - side / 2 + pts[2 * i + 1] * side];
  const mean = (ids: number[]): [number, number] => {
    const p = ids.map(pt);
    return [p.reduce((a, q) => a + q[0], 0) / p.length, p.reduce((a, q) => a + q[1], 0) / p.length];
  };
  const five = [mean([36, 37, 38, 39, 40, 41]), mean([42, 43, 44, 45, 46, 47]), pt(30), pt(48), pt(54)];
  lap('landmarks');

  // Embedder: the image drawn through the similarity transform onto 112x112, BGR, (x − 127) / 128.
  const [a, b, tx, ty] = similarity(five, ARCFACE);
  const ac = ctx2d(ALIGN, ALIGN);
  ac.setTransform(a, b, -b, a, tx, ty);
  ac.drawImage(bmp, 0, 0);
  const ap = ac.getImageData(0, 0, ALIGN, ALIGN).data;
  bmp.close();
  const n = ALIGN * ALIGN, et = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) et[c * n + i] = (ap[4 * i + 2 - c] - 127) / 128;
  const e = (await run('feature', et, [1, 3, ALIGN, ALIGN])).output;
  lap('embed');
  return e;
}

/** Least-squares similarity (a, b, tx, ty): x' = a·x − b·y + tx, y' = b·x + a·y + ty. */
function similarity(src: [number, number][], dst: [number, number][]): [number, number, number, number] {
  const m = (p: [number, number][], k: 0 | 1) => p.reduce((s, q) => s + q[k], 0) / p.length;
  const [sx, sy, dx, dy] = [m(src, 0), m(src, 1), m(dst, 0), m(dst, 1)];
  let ss = 0, dot = 0, cross = 0;
  for (let i = 0; i < src.length; i++) {
    const [ux, uy, vx, vy] = [src[i][0] - sx, src[i][1] - sy, dst[i][0] - dx, dst[i][1] - dy];
    ss += ux * ux + uy * uy; dot += ux * vx + uy * vy; cross += ux * vy - uy * vx;
  }
  const a = dot / ss, b = cross / ss;
  return [a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)];
}

async function compare(a: Blob, b: Blob) {
  const stages: Record<string, number> = {};
  const [ea, eb] = [await embedImage(a, stages), await embedImage(b, stages)];
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < ea.length; i++) { dot += ea[i] * eb[i]; na += ea[i] * ea[i]; nb += eb[i] * eb[i]; }
  return { cosine: dot / Math.sqrt(na * nb), stages };
}

self.onmessage = async (ev: MessageEvent<{ id: number; op: 'init' | 'compare'; args: unknown[] }>) => {
  const { id, op, args } = ev.data;
  try {
    const value = op === 'init' ? await init(args[0] as number) : await compare(args[0] as Blob, args[1] as Blob);
    self.postMessage({ id, value });
  } catch (e) {
    self.postMessage({ id, error: String((e as Error)?.stack ?? e) });
  }
};
