/** The result view: verdict and score, both faces marked, attributes, timings, backend, raw JSON. */
import type { BackendInfo, CompareResult, StageTimings } from 'face-compare-sdk';
import { ATTRIBUTE_ROWS, backendNote, describeBackend, ms, STAGES } from './format.js';
import { drawStill, faceView } from './overlay.js';
import type { SaveStatus } from './sync.js';

export interface ResultData {
  scan: CompareResult;
  /** The two images as analysed (not mirrored). */
  images: [ImageBitmap, ImageBitmap];
  threshold: number;
  timings: StageTimings | undefined;
  /** Wall time of compareFaces on the page, ms. */
  elapsedMs: number;
  backend: BackendInfo;
}

const $ = (id: string) => document.getElementById(id)!;

function cells(row: HTMLTableRowElement, header: string, ...values: string[]) {
  const th = document.createElement('th');
  th.scope = 'row';
  th.innerHTML = header; // only our own fixed labels reach here
  row.append(th, ...values.map((v) => Object.assign(document.createElement('td'), { textContent: v })));
}

/** Truncated, not rounded: 0.6996 must not read as the 0.700 threshold, nor 0.9999 as a perfect 1.000. */
const score = (v: number) => (Math.floor(v * 1000) / 1000).toFixed(3);

export function renderResult(d: ResultData): void {
  const { scan, threshold } = d;
  const same = scan.compare_result === 'Same person';
  const root = $('result');
  root.dataset.verdict = same ? 'same' : 'different';
  $('verdict').textContent = scan.compare_result;
  $('similarity').textContent = score(scan.compare_similarity);
  $('threshold').textContent = threshold.toFixed(2);
  $('verdict-detail').textContent = same
    ? `The similarity is at or above the threshold: the two faces belong to the same person.`
    : `The similarity is below the threshold: the two faces belong to different people.`;
  const meter = $('meter');
  meter.setAttribute('aria-valuenow', String(scan.compare_similarity));
  meter.setAttribute('aria-valuetext', `similarity ${score(scan.compare_similarity)}, threshold ${threshold.toFixed(2)}`);
  meter.style.setProperty('--value', String(scan.compare_similarity));
  meter.style.setProperty('--threshold', String(threshold));

  [scan.face1, scan.face2].forEach((face, i) => {
    drawStill($(`canvas${i + 1}`) as HTMLCanvasElement, d.images[i], [face], faceView(face, d.images[i]), 480);
  });

  const attributes = $('attributes').querySelector('tbody')!;
  attributes.replaceChildren();
  for (const r of ATTRIBUTE_ROWS) cells(attributes.insertRow(), `${r.label}<code>${r.key}</code>`, r.value(scan.face1), r.value(scan.face2));

  const timings = $('timings').querySelector('tbody')!;
  timings.replaceChildren();
  if (d.timings) {
    for (const s of STAGES) cells(timings.insertRow(), s, ms(d.timings[s]));
    cells(timings.insertRow(), 'all stages', ms(STAGES.reduce((sum, s) => sum + d.timings![s], 0)));
  }
  cells(timings.insertRow(), 'wall time on the page', ms(d.elapsedMs));
  $('backend').textContent = describeBackend(d.backend);
  $('backend-note').textContent = backendNote(d.backend);

  $('json').textContent = JSON.stringify(scan, null, 2);
  $('copy-status').textContent = '';
  root.hidden = false;
}

export function showSync(s: SaveStatus): void {
  const el = $('sync-status');
  el.textContent = s.message;
  el.dataset.state = s.state;
}

/** Copies the raw JSON; falls back to selecting it where the Clipboard API is unavailable. */
export async function copyJson(): Promise<void> {
  const pre = $('json'), status = $('copy-status');
  try {
    await navigator.clipboard.writeText(pre.textContent ?? '');
    status.textContent = 'Copied to the clipboard';
  } catch {
    getSelection()?.selectAllChildren(pre);
    status.textContent = document.execCommand('copy') ? 'Copied to the clipboard' : 'Selected — press Ctrl+C to copy';
  }
}
