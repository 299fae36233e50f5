/** `face-compare liveness` as a user runs it (tsx on src/node/cli.ts), on real NUAA frames. */
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { LIVENESS_THRESHOLD } from '../src/contract/liveness.js';
import { NUAA_IMAGES, nuaaFrames } from './support/nuaa.js';

const run = runCli;

describe('face-compare liveness', () => {
  const frames = nuaaFrames();
  const live = NUAA_IMAGES + frames.find((f) => f.live && f.subject === '0002')!.image;
  const print = NUAA_IMAGES + frames.find((f) => !f.live && f.subject === '0002')!.image;

  it('prints one {image, score, live, threshold} line per image, errors inline, exit 1 when one failed', async () => {
    const ok = await run('liveness', live, print);
    expect(ok.code).toBe(0);
    const [a, b] = ok.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(a).sort()).toEqual(['image', 'live', 'score', 'threshold']);
    expect(a).toMatchObject({ image: live, live: true, threshold: LIVENESS_THRESHOLD });
    expect(b).toMatchObject({ image: print, live: false, threshold: LIVENESS_THRESHOLD });
    expect(a.score).toBeGreaterThan(b.score);

    const bad = await run('liveness', live, '/nonexistent.jpg', '--threshold', '0.9');
    expect(bad.code).toBe(1);
    const lines = bad.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ image: live, threshold: 0.9 });
    expect(lines[1]).toMatchObject({ image: '/nonexistent.jpg', error: { code: 'IMAGE_DECODE' } });
  });

  it('no image is INVALID_OPTIONS, exit 2', async () => {
    const r = await run('liveness');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).code).toBe('INVALID_OPTIONS');
  });
});
