/**
 * The liveness threshold rule (tools/liveness/threshold.ts) on real scores: NUAA frames scored by
 * fr_liveness alone (the model-only rule that shipped before the fusion), borderline frames included (every live frame of subject 0001's low-scoring
 * session and the highest-scoring prints, plus every 25th frame).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import {
  createNodeEngine, DEFAULT_MODELS_DIR, fileModelLoader, LIVENESS_INPUT, livenessScore, Model, prepareLivenessInput, rankFaces, type FaceEngine,
} from 'face-compare-sdk/internal';
import { decodeNodeImage } from 'face-compare-sdk/internal';
import { chooseThreshold, padRates, type ScoredFrame } from '../liveness/threshold.js';
import { NUAA_IMAGES, nuaaFrames } from '../../test/support/nuaa.js';

const frames = nuaaFrames().filter((f, i) => i % 25 === 0 || f.image.startsWith('live/0001_00_00_02_') || f.image.startsWith('print/0003_01_02_03_') || f.image.startsWith('print/0005_00_03_02_'));
let engine: FaceEngine;
let model: Model;
const scored: ScoredFrame[] = [];
beforeAll(async () => {
  engine = await createNodeEngine();
  model = await Model.load('fr_liveness', fileModelLoader(DEFAULT_MODELS_DIR), { ort });
  for (const f of frames) {
    const { image } = await decodeNodeImage(NUAA_IMAGES + f.image);
    const [det] = rankFaces(await engine.detect(image), image.width, image.height);
    const out = await model.run(prepareLivenessInput(image, det), [1, 3, LIVENESS_INPUT, LIVENESS_INPUT]);
    scored.push({ score: livenessScore(out.output), live: f.live, subject: f.subject });
  }
});
afterAll(async () => { await model?.release(); await engine?.dispose(); });

describe('chooseThreshold', () => {
  it('accepts no print first, then refuses as few live frames as it can, from the middle of the tying range', () => {
    const { threshold, range, rates } = chooseThreshold(scored);
    const prints = scored.filter((f) => !f.live).map((f) => f.score);
    const live = scored.filter((f) => f.live).map((f) => f.score);
    expect(live.some((s) => s < Math.max(...prints))).toBe(true); // the classes overlap here: the rule has to choose
    expect(rates.prints_accepted).toBe(0);
    expect(range[0]).toBe(Math.max(...prints));
    expect(range[1]).toBe(Math.min(...live.filter((s) => s > range[0])));
    expect(threshold).toBeGreaterThan(range[0]);
    expect(threshold).toBeLessThanOrEqual(range[1]);
    // Any threshold in the range gives the same errors; moving below it lets the top print in.
    expect(padRates(scored, range[1])).toMatchObject({ prints_accepted: 0, live_refused: rates.live_refused });
    expect(padRates(scored, range[0]).prints_accepted).toBe(1);
    expect(rates.live_refused).toBe(live.filter((s) => s <= range[0]).length);
  });
});
