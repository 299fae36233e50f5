/** The CLI as a user runs it: `npm run cli -- …` (tsx on src/node/cli.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CompareResultSchema, FaceSchema } from '../src/contract/result.js';
import { LFW } from './helpers.js';

const run = runCli;

const SAME = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'];
const DIFF = ['Andy_Roddick/Andy_Roddick_0001.jpg', 'Richard_Gephardt/Richard_Gephardt_0004.jpg'];

describe('face-compare CLI', () => {
  it('compare prints the platform JSON: Same person, then Different person', async () => {
    const same = await run('compare', LFW + SAME[0], LFW + SAME[1], '--channel', 'OTHER', '--reference', 'R-1');
    expect(same.code).toBe(0);
    const r = CompareResultSchema.parse(JSON.parse(same.stdout));
    expect([r.compare_result, r.channel, r.reference]).toEqual(['Same person', 'OTHER', 'R-1']);
    const diff = await run('compare', LFW + DIFF[0], LFW + DIFF[1]);
    expect(JSON.parse(diff.stdout).compare_result).toBe('Different person');
  });

  it('analyze prints one {image, faces} line per image', async () => {
    const out = await run('analyze', LFW + SAME[0], LFW + DIFF[0]);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.image)).toEqual([LFW + SAME[0], LFW + DIFF[0]]);
    for (const l of lines) for (const f of l.faces) FaceSchema.parse(f);
  });

  it('batch scores each pair and reports per-pair errors; eval prints the figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-cli-'));
    const csv = join(dir, 'pairs.csv');
    writeFileSync(csv, `a,b,same\n${SAME.join(',')},1\n${DIFF.join(',')},0\n${SAME[0]},missing.jpg,1\n`);
    const batch = await run('batch', csv, '--root', LFW);
    const rows = batch.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ a: SAME[0], b: SAME[1], compare_result: 'Same person' });
    expect(Object.keys(rows[0]).sort()).toEqual(['a', 'b', 'compare_result', 'compare_similarity', 'cosine']);
    expect(rows[1].compare_result).toBe('Different person');
    expect(rows[2].error.code).toBe('IMAGE_DECODE');

    const ev = JSON.parse((await run('eval', csv, '--root', LFW)).stdout);
    expect(ev).toMatchObject({ pairs: 3, same: 2, threshold: 0.7, errors: { IMAGE_DECODE: 1 } });
    expect(ev.accuracy).toBeCloseTo(2 / 3, 6); // the unscorable pair counts as a rejection
    for (const k of ['auc', 'best_accuracy', 'tar_at_far_1e2', 'tar_at_far_1e3']) expect(ev).toHaveProperty(k);
  });

  it('errors are {code, message} on stderr with a non-zero exit', async () => {
    const noArgs = await run('compare', LFW + SAME[0]);
    expect(noArgs.code).not.toBe(0);
    expect(JSON.parse(noArgs.stderr).code).toBe('INVALID_OPTIONS');
    const bad = await run('compare', LFW + SAME[0], '/nonexistent.jpg');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({ code: 'IMAGE_DECODE' });
    const badQuality = await run('compare', LFW + SAME[0], LFW + SAME[1], '--min-quality', '2');
    expect(badQuality.code).toBe(2);
    expect(JSON.parse(badQuality.stderr)).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/minQuality/) });
  });
});
