import { createFaceRecognizer, CompareResultSchema, type CompareResult, type Face } from '../src/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status'), button = $<HTMLButtonElement>('compare');

const recognizerReady = createFaceRecognizer();
recognizerReady.then(
  (fr) => {
    const i = fr.info();
    button.disabled = false;
    button.textContent = 'Compare';
    status.textContent = `Ready: wasm, ${i.threads} thread(s)${i.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
  },
  (e) => { status.textContent = `Could not load: ${e.code ?? ''} ${e.message}`; },
);

function draw(canvas: HTMLCanvasElement, bitmap: ImageBitmap, face: Face) {
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const lw = Math.max(2, bitmap.width / 300);
  ctx.lineWidth = lw;
  ctx.strokeStyle = '#00e676';
  ctx.strokeRect(face.x1, face.y1, face.x2 - face.x1, face.y2 - face.y1);
  ctx.fillStyle = '#ff1744';
  for (const p of face.landmark_68) ctx.fillRect(p.x - lw, p.y - lw, 2 * lw, 2 * lw);
}

$('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f1 = $<HTMLInputElement>('file1').files?.[0], f2 = $<HTMLInputElement>('file2').files?.[0];
  if (!f1 || !f2) return;
  button.disabled = true;
  status.textContent = 'Comparing…';
  try {
    const fr = await recognizerReady;
    const scan: CompareResult = await fr.compareFaces(f1, f2, {
      channel: $<HTMLSelectElement>('channel').value as 'WEB',
      reference: $<HTMLInputElement>('reference').value,
    });
    CompareResultSchema.parse(scan);
    const [b1, b2] = await Promise.all([createImageBitmap(f1), createImageBitmap(f2)]);
    draw($('canvas1'), b1, scan.face1);
    draw($('canvas2'), b2, scan.face2);
    const verdict = $('verdict');
    verdict.textContent = `${scan.compare_result} — similarity ${scan.compare_similarity.toFixed(3)} (threshold 0.7)`;
    verdict.className = scan.compare_result === 'Same person' ? 'same' : 'different';
    const t = fr.last.timings!;
    $('timings').textContent = `decode ${t.decode.toFixed(0)} ms · detect ${t.detect.toFixed(0)} · landmarks ${t.landmarks.toFixed(0)} · align ${t.align.toFixed(0)} · embed ${t.embed.toFixed(0)} · attributes ${t.attributes.toFixed(0)} ms`;
    $('json').textContent = JSON.stringify(scan, null, 2);
    $('result').hidden = false;
    status.textContent = 'Done.';
  } catch (e) {
    const err = e as { code?: string; message: string; details?: { image?: number } };
    status.textContent = `Error ${err.code ?? ''}${err.details?.image ? ` (image ${err.details.image})` : ''}: ${err.message}`;
  } finally {
    button.disabled = false;
  }
});
