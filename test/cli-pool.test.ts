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

describe('the runtime hint', () => {
  const hint = /onnxruntime-web.*npm install onnxruntime-node/;
  const twoPairs = () => {
    const csv = join(mkdtempSync(join(tmpdir(), 'fr-hint-')), 'pairs.csv');
    const [p, q] = csvPairs(`${DATA}lfw-view1/pairs_test.csv`);
    writeFileSync(csv, `a,b,same\n${p.a},${p.b},${p.same ? 1 : 0}\n${q.a},${q.b},${q.same ? 1 : 0}\n`);
    return csv;
  };
  const hintLines = (stderr: string) => stderr.split('\n').filter((l) => hint.test(l));

  it('batch and eval on onnxruntime-web print exactly one stderr line with the install hint; on onnxruntime-node none', async () => {
    const csv = twoPairs();
    for (const cmd of ['batch', 'eval']) {
      const web = await cli(cmd, csv, '--root', LFW, '--runtime', 'onnxruntime-web', '--workers', '2');
      expect(hintLines(web.stderr), `${cmd} on onnxruntime-web`).toHaveLength(1);
      const native = await cli(cmd, csv, '--root', LFW, '--runtime', 'onnxruntime-node', '--workers', '1');
      expect(hintLines(native.stderr), `${cmd} on onnxruntime-node`).toEqual([]);
    }
  });

  it("'auto' without onnxruntime-node installed falls back to onnxruntime-web, prints the hint once and still answers", async () => {
    const csv = twoPairs();
    const r = await promisify(execFile)('node', ['--import', './test/support/hide-onnxruntime-node.mjs', '--import', 'tsx', 'src/node/cli.ts', 'batch', csv, '--root', LFW, '--workers', '1']);
    expect(hintLines(r.stderr)).toHaveLength(1);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => typeof row.cosine === 'number')).toBe(true);
    // The same hook, asked for the native runtime explicitly: a MODEL_LOAD error, not a silent fallback.
    const forced = await promisify(execFile)('node', ['--import', './test/support/hide-onnxruntime-node.mjs', '--import', 'tsx', 'src/node/cli.ts', 'batch', csv, '--root', LFW, '--workers', '1', '--runtime', 'onnxruntime-node'])
      .catch((e) => e as { code: number; stderr: string });
    expect(JSON.parse((forced as { stderr: string }).stderr.trim().split('\n').at(-1)!).code).toBe('MODEL_LOAD');
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
