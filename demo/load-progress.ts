/** The start-up progress bar: createFaceRecognizer's onProgress events as one bar and a label. */
import type { LoadProgress } from 'face-compare-sdk';

/** Share of the bar per phase: downloads dominate a cold start, session compiles a warm one. */
const SPAN = { download: [0, 0.7], compile: [0.7, 0.95], warmup: [0.95, 1], ready: [1, 1] } as const;

export function progressFraction(e: LoadProgress): number {
  const [from, to] = SPAN[e.phase];
  return from + (to - from) * (e.total > 0 ? Math.min(1, e.loaded / e.total) : 0);
}

export function progressLabel(e: LoadProgress): string {
  switch (e.phase) {
    case 'download': return `Downloading models ${(e.loaded / 1e6).toFixed(1)} / ${(e.total / 1e6).toFixed(1)} MB`;
    case 'compile': return `Preparing ${e.file ?? 'models'} (${e.loaded + 1}/${e.total})`;
    case 'warmup': return 'Warming up…';
    case 'ready': return 'Ready';
  }
}

/** Drives a <progress> and a label; the bar never moves backwards (download and compile overlap). */
export function progressView(bar: HTMLProgressElement, label: HTMLElement): (e: LoadProgress) => void {
  let shown = 0;
  return (e) => {
    shown = Math.max(shown, progressFraction(e));
    bar.value = shown;
    label.textContent = progressLabel(e);
    bar.hidden = e.phase === 'ready';
  };
}
