/**
 * Live analysis of a playing <video>: at most one frame in flight to the worker; frames that
 * arrive meanwhile are dropped, never queued, so the guidance stays current and the UI free.
 */
import type { Face } from 'face-compare-sdk';

export interface AnalysedFrame {
  /** The exact pixels that were analysed; the owner of the result must close() it. */
  bitmap: ImageBitmap;
  faces: Face[];
}

export interface LiveLoop { stop(): void }

type VideoWithFrameCallback = HTMLVideoElement & { requestVideoFrameCallback?(cb: () => void): number; cancelVideoFrameCallback?(h: number): void };

export function startLiveAnalysis(
  video: HTMLVideoElement,
  analyze: (frame: ImageBitmap) => Promise<Face[]>,
  onFrame: (frame: AnalysedFrame) => void,
  onError: (e: unknown) => void,
): LiveLoop {
  const v = video as VideoWithFrameCallback;
  let stopped = false, busy = false, handle = 0;
  // requestVideoFrameCallback fires once per new video frame; requestAnimationFrame is the fallback.
  const schedule = () => {
    if (stopped) return;
    handle = v.requestVideoFrameCallback ? v.requestVideoFrameCallback(tick) : requestAnimationFrame(tick);
  };
  const tick = () => {
    schedule();
    if (busy || video.readyState < 2 || !video.videoWidth) return; // drop this frame
    busy = true;
    void analyseOne().finally(() => { busy = false; });
  };
  async function analyseOne() {
    let bitmap: ImageBitmap | undefined;
    try {
      bitmap = await createImageBitmap(video);
      const faces = await analyze(bitmap);
      if (stopped) return bitmap.close();
      onFrame({ bitmap, faces });
    } catch (e) {
      bitmap?.close();
      if (!stopped) onError(e);
    }
  }
  schedule();
  return {
    stop() {
      stopped = true;
      if (v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(handle);
      else cancelAnimationFrame(handle);
    },
  };
}
