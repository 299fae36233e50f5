/// <reference types="vite/client" />
/** Wires the page: recognizer, the two capture slots, settings, comparison, result, sync. */
import { createFaceRecognizer, PLATFORM_THRESHOLD, type CompareResult, type FaceRecognizer } from 'face-compare-sdk';
import { progressView } from './load-progress.js';
import { cameraSupported, createCamera } from './camera.js';
import { readConfig, saveConfig, scrubTokenFromUrl, type DemoConfig } from './config.js';
import { backendNote, describeBackend, ms } from './format.js';
import { watchNetwork } from './network.js';
import { copyJson, renderResult, showSync } from './result-view.js';
import { CaptureSlot, type SlotHost } from './slot.js';
import type { ScanSaver } from './sync.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status'), compareButton = $<HTMLButtonElement>('compare'), cameraSelect = $<HTMLSelectElement>('camera-select');
const fields = {
  channel: $<HTMLSelectElement>('channel'), reference: $<HTMLInputElement>('reference'),
  platformUrl: $<HTMLInputElement>('platform-url'), token: $<HTMLInputElement>('platform-token'),
};

const config = readConfig();
saveConfig(config); // a token given in the URL must survive the scrub below and a reload
scrubTokenFromUrl();
document.body.classList.toggle('kiosk', config.kiosk);
$<HTMLDetailsElement>('details').open = !config.kiosk;
fields.channel.value = config.channel;
fields.reference.value = config.reference;
fields.platformUrl.value = config.platformUrl;
fields.token.value = config.token;
watchNetwork($('network'));

const camera = createCamera();
let fr: FaceRecognizer | undefined;
let busy = false;

const host: SlotHost = {
  get recognizer() { return fr; },
  camera,
  deviceId: () => cameraSelect.value || undefined,
  liveness: config.liveness,
  cameraStarted(slot) {
    other(slot).stopCamera();
    void listCameras(); // device labels become readable once access is granted
  },
  changed(slot, how) {
    // Capturing face 1 moves the camera on to face 2 when that one is still empty.
    if (how === 'captured' && other(slot).mode === 'empty') void other(slot).startCamera();
    else if (!slots.some((s) => s.live)) camera.stop();
    $('result').hidden = true;
    updateCompare();
    if (config.kiosk && how !== 'cleared' && slots.every((s) => s.source)) void compare();
  },
};

const template = $<HTMLTemplateElement>('slot-template');
const slots = ([1, 2] as const).map((i) => {
  const root = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  $('slots').append(root);
  return new CaptureSlot(root, i, host);
});
const other = (s: CaptureSlot) => slots[s.index === 1 ? 1 : 0];
slots.forEach((s) => s.setEnabled(false));

/** Enables Compare when both faces are in; `prompt` also says what is missing. */
function updateCompare(prompt = true) {
  compareButton.disabled = busy || !fr || !slots.every((s) => s.source);
  if (!fr || busy || !prompt) return;
  const missing = slots.filter((s) => !s.source).map((s) => `face ${s.index}`);
  status.textContent = missing.length ? `Add ${missing.join(' and ')} to compare.` : 'Ready to compare.';
}

function currentConfig(): DemoConfig {
  return {
    channel: fields.channel.value as DemoConfig['channel'],
    reference: fields.reference.value,
    platformUrl: fields.platformUrl.value.trim(),
    token: fields.token.value.trim(),
    kiosk: config.kiosk,
    liveness: config.liveness,
    sync: config.sync,
  };
}

async function compare() {
  const [a, b] = slots;
  if (busy || !fr || !a.source || !b.source) return;
  busy = true;
  slots.forEach((s) => s.setEnabled(false));
  compareButton.disabled = true;
  status.textContent = 'Comparing…';
  const cfg = currentConfig();
  saveConfig(cfg);
  const t0 = performance.now();
  try {
    // With ?liveness=require the SDK checks face 2 (the live capture) again: a print fails with SPOOF_SUSPECTED.
    const liveness = cfg.liveness === 'require' ? 'image2' : 'off';
    const { scan, timings } = await fr.compare(a.source, b.source, { channel: cfg.channel, reference: cfg.reference, liveness });
    const elapsedMs = performance.now() - t0;
    renderResult({ scan, images: [a.image!, b.image!], threshold: PLATFORM_THRESHOLD, timings, elapsedMs, backend: fr.info() });
    status.textContent = `Done in ${ms(elapsedMs)}.`;
    $('verdict').focus();
    $('result').scrollIntoView({ block: 'start' });
    void syncScan(scan, elapsedMs, cfg);
  } catch (e) {
    const err = e as { code?: string; message: string; details?: { image?: number } };
    const which = err.details?.image ? ` (face ${err.details.image})` : '';
    status.textContent = `Could not compare${which}: ${err.code ? `${err.code} — ` : ''}${err.message}`;
  } finally {
    busy = false;
    slots.forEach((s) => s.setEnabled(true));
    updateCompare(false); // the status keeps the outcome
  }
}

// The store, the sync loop and the REST client are loaded only once a platform URL is set (sync.ts).
let sync: { key: string; ready: Promise<ScanSaver> } | undefined;
let shownScan = '';
function saver(cfg: DemoConfig): Promise<ScanSaver> {
  const key = `${cfg.platformUrl}\n${cfg.token}`;
  if (sync?.key !== key) {
    void sync?.ready.then((s) => s.close(), () => undefined);
    const auth = cfg.token ? { getAccessToken: () => cfg.token } : undefined;
    const ready = import('./sync.js').then(async (m) => {
      const s = await m.createScanSaver(cfg.platformUrl, auth, cfg.sync);
      s.onOutbox((o) => {
        const el = $('outbox');
        Object.assign(el.dataset, { pending: o.pending, failed: o.failed, state: o.failed ? 'failed' : o.pending ? 'pending' : 'synced' });
        el.textContent = m.describeOutbox(o);
        el.hidden = false;
      });
      return s;
    });
    sync = { key, ready };
  }
  return sync.ready;
}
async function syncScan(scan: CompareResult, elapsedMs: number, cfg: DemoConfig) {
  shownScan = scan.id;
  if (!cfg.platformUrl) return showSync({ state: 'off', message: 'not configured — the scan stays on this page' });
  try {
    // Later updates of an earlier scan must not overwrite the status of the one on screen.
    await (await saver(cfg)).save(scan, elapsedMs, (s) => shownScan === scan.id && showSync(s));
  } catch (e) {
    showSync({ state: 'failed', message: `Not saved — ${(e as Error).message}` });
  }
}
// Scans left pending by an earlier session (reload, crash, network loss) are sent from page load on.
if (config.platformUrl) saver(config).catch((e) => Object.assign($('outbox'), { hidden: false, textContent: `Outbox unavailable: ${(e as Error).message}` }));
// The app shell works offline after one online visit (demo/sw.ts; built as demo/sw.js). Builds
// only, never the dev server. PROD follows NODE_ENV, which vitest sets to 'test' for the e2e build: MODE too.
if ((import.meta.env.PROD || import.meta.env.MODE === 'production') && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register(new URL('./sw.js', location.href)).catch((e) => console.warn('service worker not registered:', e));
}

function showPlatformSummary() {
  const url = fields.platformUrl.value.trim();
  $('platform-summary').textContent = url ? `on — ${url}` : 'off';
}

async function listCameras() {
  const devices = await camera.devices().catch(() => []);
  const current = cameraSelect.value || camera.deviceId || '';
  cameraSelect.replaceChildren(new Option('Default camera', ''));
  devices.forEach((d, i) => cameraSelect.add(new Option(d.label || `Camera ${i + 1}`, d.deviceId)));
  if (devices.some((d) => d.deviceId === current)) cameraSelect.value = current;
}

$('form').addEventListener('submit', (e) => {
  e.preventDefault();
  void compare();
});
$('copy').addEventListener('click', () => void copyJson());
$('again').addEventListener('click', () => {
  slots.forEach((s) => s.clear());
  $('result').hidden = true;
  scrollTo({ top: 0 });
  if (config.kiosk) void slots[0].startCamera();
  else $('camera1').focus();
});
cameraSelect.addEventListener('change', () => {
  const live = slots.find((s) => s.live);
  if (live) void live.startCamera();
});
fields.platformUrl.addEventListener('input', showPlatformSummary);
showPlatformSummary();
if (cameraSupported()) {
  $('camera-bar').hidden = false;
  navigator.mediaDevices.addEventListener('devicechange', () => void listCameras());
  void listCameras();
}
addEventListener('pagehide', () => camera.stop());

createFaceRecognizer({ onProgress: progressView($<HTMLProgressElement>('load-progress'), $('engine')) }).then(
  (recognizer) => {
    fr = recognizer;
    const engine = $('engine');
    engine.textContent = describeBackend(fr.info());
    engine.title = backendNote(fr.info());
    engine.dataset.state = 'ready';
    slots.forEach((s) => s.setEnabled(true));
    updateCompare();
    if (config.kiosk && cameraSupported()) void slots[0].startCamera();
  },
  (e) => {
    const engine = $('engine');
    engine.textContent = 'Models failed to load';
    engine.dataset.state = 'error';
    status.textContent = `Could not load the face models: ${e.code ?? ''} ${e.message}`;
  },
);
