/**
 * `cli batch` / `cli eval` on a pool of worker threads: the same rows, in file order, as one
 * in-process recognizer; progress (pairs done, rate, ETA) only on a terminal.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { progress } from '../src/node/progress.js';
import { csvPairs, DATA, LFW } from './helpers.js';

const cli = async (...args: string[]) => promisify(execFile)('node', ['--import', 'tsx', 'src/node/cli.ts', ...args], { maxBuffer: 1 << 24 });

describe('cli batch on a worker pool', () => {
  it('prints the same rows in the same order as one process, with per-pair errors kept in place', async () => {
    const pairs = csvPairs(`${DATA}lfw-view1/pairs_test.csv`).filter((_, i) => i % 50 === 0);
    const csv = join(mkdtempSync(join(tmpdir(), 'fr-pool-')), 'pairs.csv');
    const rows = pairs.map((p) => `${p.a},${p.b},${p.same ? 1 : 0}`);
    rows.splice(3, 0, `${pairs[0].a},missing.jpg,1`);
    writeFileSync(csv, `a,b,same\n${rows.join('\n')}\n`);
    const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l));
    const one = await cli('batch', csv, '--root', LFW, '--workers', '1');
    const pooled = await cli('batch', csv, '--root', LFW, '--workers', '3');
    const [a, b] = [lines(one.stdout), lines(pooled.stdout)];
    expect(b).toHaveLength(rows.length);
    expect(b.map((r) => [r.a, r.b])).toEqual(a.map((r) => [r.a, r.b]));
    expect(b[3].error.code).toBe('IMAGE_DECODE');
    for (const [i, r] of b.entries()) {
      if (i === 3) continue;
      expect(Math.abs(r.cosine - a[i].cosine)).toBeLessThan(1e-4);
      expect(r.compare_result).toBe(a[i].compare_result);
    }
    // stderr is a pipe here: no progress line.
    expect(pooled.stderr).not.toMatch(/pairs\/s/);
  });

  it('--workers must be a whole number ≥ 1', async () => {
    const r = await cli('batch', 'x.csv', '--workers', '0').catch((e) => e as { code: number; stderr: string });
    expect((r as { code: number }).code).toBe(2);
    expect(JSON.parse((r as { stderr: string }).stderr).code).toBe('INVALID_OPTIONS');
  });
});

describe('progress line', () => {
  it('shows pairs done, rate and ETA on a terminal, nothing elsewhere', () => {
    const out: string[] = [];
    const tty = { isTTY: true, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const p = progress('batch', 4, tty);
    p.tick(4);
    p.end();
    expect(out.join('')).toMatch(/batch: 4\/4 pairs, [\d.]+ pairs\/s, ETA 0 s/);
    const pipe: string[] = [];
    const q = progress('batch', 4, { isTTY: false, write: (s: string) => pipe.push(s) } as unknown as NodeJS.WriteStream);
    q.tick(4);
    q.end();
    expect(pipe).toEqual([]);
  });
});
