/**
 * A browser app's TypeScript (compiled by test/package/consumers.test.ts with `types: []`, bundler
 * resolution): the browser entries' .d.ts must not need Node's types.
 */
import { createFaceRecognizer, CompareResultSchema, type LoadProgress, type CompareResult } from 'face-compare-sdk';
import { createPlatformClient, createPkceAuth } from 'face-compare-sdk/platform';
import { openScanStore, createScanSync } from 'face-compare-sdk/store';
import { FaceSchema } from 'face-compare-sdk/schema';

export async function compareInBrowser(a: Blob, b: HTMLVideoElement, bar: HTMLProgressElement): Promise<CompareResult> {
  const fr = await createFaceRecognizer({ onProgress: (e: LoadProgress) => { bar.value = e.loaded / e.total; } });
  const scan = CompareResultSchema.parse(await fr.compareFaces(a, b));
  FaceSchema.parse(scan.face1);
  await fr.dispose();
  return scan;
}

export const browserApis = [createPlatformClient, createPkceAuth, openScanStore, createScanSync] as const;
