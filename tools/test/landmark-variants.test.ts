/** The rejected landmark crops the attribute evaluation measures (tools/lib/landmark-variants.ts), on real AFW faces. */
import { describe, expect, it } from 'vitest';
import { boxCrop, createNodeEngine, cropMap, decodeNodeImage, refineCrop } from 'face-compare-sdk/internal';
import { landmarksInVariantCrop, variantCropMap } from '../lib/landmark-variants.js';
import { afwFaces, AFW } from '../../test/helpers.js';
import { nme } from '../../test/support/nme.js';

describe('landmark crop variants', () => {
  it('a square, unmirrored variant is the shipped crop map', () => {
    const g = { cx: 120.5, cy: 98, size: 77, angle: 0.21 };
    expect(variantCropMap({ ...g, aspect: 1 })).toEqual(cropMap(g).map((v) => expect.closeTo(v, 9)));
  });

  it('on AFW faces the mirrored crop, mapped back, lands where the plain crop does (NME under 6 %)', async () => {
    const engine = await createNodeEngine();
    try {
      const errs: number[] = [];
      for (const face of afwFaces().slice(0, 8)) {
        const p = await decodeNodeImage(`${AFW}images/${face.image}`);
        const truth = face.points.flat().map((v) => v / p.toSource);
        const dets = await engine.detect(p.image);
        const det = dets.find((d) => d.x1 < truth[60] && truth[60] < d.x2 && d.y1 < truth[61] && truth[61] < d.y2);
        if (!det) continue;
        const g = refineCrop(await engine.landmarks(p.image, det));
        const [plain, mirrored] = [await landmarksInVariantCrop(p.image, g), await landmarksInVariantCrop(p.image, g, true)];
        expect(nme(plain, await engine.landmarksInCrop(p.image, g))).toBeLessThan(1e-4); // same model, same crop
        errs.push(nme(mirrored, plain));
        expect(nme(mirrored, truth)).toBeLessThan(0.15);
      }
      expect(errs.length).toBeGreaterThanOrEqual(6);
      expect(errs.reduce((a, b) => a + b, 0) / errs.length).toBeLessThan(0.06);
    } finally {
      await engine.dispose();
    }
  });
});
