/**
 * One detection per frame: analyzeDetailed(frame, { liveness: true }) scores each face found for
 * liveness on the same detection. Real NUAA frames (../shared/data/nuaa/): live people and printed
 * photos of them, with the real models, in Node.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LIVENESS_THRESHOLD } from '../src/contract/liveness.js';
import { FaceEngine } from '../src/engine/face-engine.js';
import { createFaceRecognizer, type NodeFaceRecognizer } from '../src/node/index.js';
import { NUAA_IMAGES, nuaaFrames } from './support/nuaa.js';
import { DEEPFACE } from './helpers.js';

let fr: NodeFaceRecognizer;
beforeAll(async () => { fr = await createFaceRecognizer(); });
afterAll(() => fr?.dispose());

// Every 25th frame of the 1,000: 20 live and 20 print, all nine subjects.
const subset = nuaaFrames().filter((_, i) => i % 25 === 0);

describe('analyzeDetailed({ liveness: true }) on NUAA frames', () => {
  it('gives each face its liveness, the same score as liveness(), with one detection per frame', async () => {
    const detect = vi.spyOn(FaceEngine.prototype, 'detect');
    try {
      let live = 0, print = 0;
      for (const frame of subset) {
        const path = NUAA_IMAGES + frame.image;
        detect.mockClear();
        const r = await fr.analyzeDetailed(path, { liveness: true });
        expect(detect, frame.image).toHaveBeenCalledTimes(1);
        expect(r.faces.length, frame.image).toBeGreaterThan(0);
        expect(r.liveness, frame.image).toHaveLength(r.faces.length);
        expect(r.timings.liveness).toBeGreaterThan(0);
        // The platform's Face keeps exactly its keys: liveness sits beside it.
        expect(Object.keys(r.faces[0]!)).not.toContain('liveness');
        const single = await fr.liveness(path);
        expect(r.liveness![0]!.score, frame.image).toBeCloseTo(single.score, 6);
        expect(r.liveness![0]).toEqual({ score: r.liveness![0]!.score, live: single.live, threshold: LIVENESS_THRESHOLD });
        if (frame.live) live += r.liveness![0]!.live ? 1 : 0;
        else print += r.liveness![0]!.live ? 1 : 0;
      }
      // docs/liveness.md: 0 of 500 prints accepted, 3 of 500 live frames refused on the full set.
      expect(print).toBe(0);
      expect(live).toBeGreaterThanOrEqual(subset.filter((f) => f.live).length - 1);
    } finally {
      detect.mockRestore();
    }
  }, 120_000);

  it('without the option the result has no liveness and the liveness stage costs nothing', async () => {
    const r = await fr.analyzeDetailed(NUAA_IMAGES + subset[0]!.image);
    expect(r).not.toHaveProperty('liveness');
    expect(r.timings.liveness).toBe(0);
    // analyze() keeps returning the platform's faces only.
    const faces = await fr.analyze(NUAA_IMAGES + subset[0]!.image, { liveness: true });
    expect(faces).toEqual(r.faces);
  });

  it('livenessThreshold moves the decision, per face', async () => {
    const printFrame = subset.find((f) => !f.live)!;
    const { liveness } = await fr.analyzeDetailed(NUAA_IMAGES + printFrame.image, { liveness: true });
    const below = liveness![0]!.score / 2;
    const again = await fr.analyzeDetailed(NUAA_IMAGES + printFrame.image, { liveness: true, livenessThreshold: below });
    expect(again.liveness![0]).toMatchObject({ live: true, threshold: below });
  });

  it('scores every face of a frame with several, in the order of faces', async () => {
    const r = await fr.analyzeDetailed(`${DEEPFACE}couple.jpg`, { liveness: true });
    expect(r.faces.length).toBeGreaterThanOrEqual(2);
    expect(r.liveness).toHaveLength(r.faces.length);
    for (const l of r.liveness!) expect(l.score).toBeGreaterThanOrEqual(0);
  });

  it('a frame without a face gives no faces and an empty liveness list', async () => {
    const grey = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#777' } }).png().toBuffer();
    const r = await fr.analyzeDetailed(grey, { liveness: true });
    expect(r.faces).toEqual([]);
    expect(r.liveness).toEqual([]);
  });

  it('refuses a liveness option that is not a boolean (INVALID_OPTIONS)', async () => {
    await expect(fr.analyzeDetailed(NUAA_IMAGES + subset[0]!.image, { liveness: 'both' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(fr.analyzeDetailed(NUAA_IMAGES + subset[0]!.image, { liveness: true, livenessThreshold: 2 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
