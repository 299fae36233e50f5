/**
 * A browser app's TypeScript (compiled by test/package/consumers.test.ts with `types: []`, bundler
 * resolution): the browser entries' .d.ts must not need Node's types.
 */
import { createFaceRecognizer, CompareResultSchema, type LoadProgress, type CompareResult } from 'face-compare-sdk';
import { createPlatformClient, createPkceAuth } from 'face-compare-sdk/platform';
import { openScanStore, createScanSync } from 'face-compare-sdk/store';
import { FaceSchema } from 'face-compare-sdk/schema';
import { createFaceCapture, defineFaceCapture, type CaptureDetail, type FaceCaptureElement, type HintCode } from 'face-compare-sdk/capture';

export async function compareInBrowser(a: Blob, b: HTMLVideoElement, bar: HTMLProgressElement): Promise<CompareResult> {
  const fr = await createFaceRecognizer({ onProgress: (e: LoadProgress) => { bar.value = e.loaded / e.total; } });
  const scan = CompareResultSchema.parse(await fr.compareFaces(a, b));
  FaceSchema.parse(scan.face1);
  await fr.dispose();
  return scan;
}

export const browserApis = [createPlatformClient, createPkceAuth, openScanStore, createScanSync] as const;

/** The capture entry: the element's events and the headless controller, typed. */
export async function captureInBrowser(video: HTMLVideoElement): Promise<CaptureDetail | undefined> {
  defineFaceCapture('my-face-capture');
  const el = document.createElement('my-face-capture') as FaceCaptureElement;
  el.messages = { 'no-face': 'Aucun visage' } satisfies Partial<Record<HintCode, string>>;
  const ctl = createFaceCapture({ recognizer: await createFaceRecognizer(), video, liveness: 'require', autoCapture: true });
  ctl.addEventListener('hint', (e) => console.log((e as CustomEvent<{ code: HintCode }>).detail.code));
  await ctl.start();
  return ctl.capture();
}
