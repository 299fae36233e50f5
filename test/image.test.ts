import { describe, expect, it } from 'vitest';
import { alignFace, ARCFACE_POINTS, similarityTransform } from '../src/pipeline/align.js';
import { applyAffine, downscaleToFit, invertAffine, letterbox, meanLuma, rectToGrid, warpToTensor, type Affine } from '../src/pipeline/image.js';
import { LFW, loadRgba } from './helpers.js';

const RAW = { channels: [0, 1, 2], mean: [0], std: [1], border: 0 } as const;

describe('image ops on a real photo', async () => {
  const img = await loadRgba(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`);

  it('an identity warp reproduces the pixels exactly', () => {
    const t = warpToTensor(img, rectToGrid(0, 0, img.width, img.height, img.width, img.height), img.width, img.height, RAW);
    const n = img.width * img.height;
    for (const i of [0, 1234, 31337, n - 1]) {
      expect(t[i]).toBeCloseTo(img.data[i * 4], 4);
      expect(t[n + i]).toBeCloseTo(img.data[i * 4 + 1], 4);
      expect(t[2 * n + i]).toBeCloseTo(img.data[i * 4 + 2], 4);
    }
  });

  it('BGR order and normalisation land in the right planes', () => {
    const t = warpToTensor(img, rectToGrid(0, 0, img.width, img.height, img.width, img.height), img.width, img.height, {
      channels: [2, 1, 0], mean: [127], std: [128], border: 0,
    });
    expect(t[0]).toBeCloseTo((img.data[2] - 127) / 128, 5);
    expect(t[img.width * img.height * 2]).toBeCloseTo((img.data[0] - 127) / 128, 5);
  });

  it('area-averaged downscale keeps the mean brightness and the aspect ratio', () => {
    const { image, scale } = downscaleToFit(img, 50);
    expect(image.width).toBe(50);
    expect(image.height).toBe(50);
    expect(scale).toBeCloseTo(0.2, 5);
    expect(meanLuma(image, 0, 0, 50, 50)).toBeCloseTo(meanLuma(img, 0, 0, img.width, img.height), 0);
  });

  it('letterbox maps the image corners onto the padded box and back', () => {
    const { map, scale } = letterbox(1000, 500, 320, 240);
    expect(scale).toBeCloseTo(0.32, 6);
    // Output (0, 40) is the source's top-left corner: 240 - 500 * 0.32 = 80 px of padding, half on top.
    const [x, y] = applyAffine(map, 0, 40);
    expect(x).toBeCloseTo(0, 6);
    expect(y).toBeCloseTo(0, 6);
    const back = applyAffine(invertAffine(map), 1000, 500);
    expect(back[0]).toBeCloseTo(320, 6);
    expect(back[1]).toBeCloseTo(200, 6);
  });

  it('similarityTransform recovers a known rotation, scale and shift exactly', () => {
    const a = 0.3, s = 1.7;
    const truth: Affine = [s * Math.cos(a), -s * Math.sin(a), 12, s * Math.sin(a), s * Math.cos(a), -5];
    const dst = ARCFACE_POINTS.map(([x, y]) => applyAffine(truth, x, y));
    const m = similarityTransform(ARCFACE_POINTS, dst);
    m.forEach((v, i) => expect(v).toBeCloseTo(truth[i], 9));
  });

  it('aligning a rotated copy of the template points gives the template crop', () => {
    // Points taken through a known similarity; alignFace must undo it.
    const fwd: Affine = [0.9, -0.4, 60, 0.4, 0.9, 20];
    const pts = ARCFACE_POINTS.map(([x, y]) => applyAffine(fwd, x + 0.5, y + 0.5));
    const { srcToCrop } = alignFace(img, pts);
    pts.forEach((p, i) => {
      const [u, v] = applyAffine(srcToCrop, p[0], p[1]);
      expect(u).toBeCloseTo(ARCFACE_POINTS[i][0] + 0.5, 6);
      expect(v).toBeCloseTo(ARCFACE_POINTS[i][1] + 0.5, 6);
    });
  });
});
