/**
 * Cancellation and dispose in the Node recognizer, on real photos: `{ signal }` rejects with
 * ABORTED at once, a queued call that is aborted never runs, the recognizer stays usable, and
 * dispose() rejects pending calls with DISPOSED without hanging. The browser side of the same
 * contract is test/cancel.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceRecognizer, type NodeFaceRecognizer } from '../src/node/index.js';
import { LFW } from './helpers.js';

const A = readFileSync(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0001.jpg`);
const B = readFileSync(`${LFW}Aaron_Peirsol/Aaron_Peirsol_0002.jpg`);
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e) => e.code as string);

describe('Node recognizer: { signal }', () => {
  let fr: NodeFaceRecognizer;
  beforeAll(async () => { fr = await createFaceRecognizer(); }, 120_000);
  afterAll(async () => fr?.dispose());

  it('an already aborted signal rejects with ABORTED and runs nothing', async () => {
    const before = fr.stats();
    const ac = new AbortController();
    ac.abort(new Error('user left'));
    const e = await fr.compareFaces(A, B, { signal: ac.signal }).catch((x) => x);
    expect(e).toMatchObject({ name: 'FaceError', code: 'ABORTED' });
    expect(e.message).toMatch(/user left/);
    expect(fr.stats()).toMatchObject({ aborted: before.aborted + 1, skipped: before.skipped + 1, settled: before.settled });
  });

  it('a queued call aborted before its turn never runs; the others settle in order with their answers', async () => {
    const ref = await fr.analyze(A);
    const before = fr.stats();
    const ac = new AbortController();
    const order: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => { order.push(name); return 'ok'; }, (e) => { order.push(name); return e.code; });
    const first = track('1', fr.analyze(A));
    const second = track('2', fr.compareFaces(A, B));
    const third = track('3', fr.analyze(A, { signal: ac.signal }));
    const fourth = fr.analyze(A);
    ac.abort();
    expect(await third).toBe('ABORTED');
    // It rejected at once, before the calls queued ahead of it finished.
    expect(order).toEqual(['3']);
    expect([await first, await second]).toEqual(['ok', 'ok']);
    expect(await fourth).toEqual(ref);
    expect(fr.stats()).toMatchObject({ pending: 0, aborted: before.aborted + 1, skipped: before.skipped + 1, settled: before.settled + 3 });
  });

  it('aborting the running call rejects it at once; the recognizer stays usable', async () => {
    const ac = new AbortController();
    const running = outcome(fr.compare(A, B, { signal: ac.signal }));
    const next = fr.compare(A, B);
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    expect(await running).toBe('ABORTED');
    expect((await next).scan.compare_result).toBe('Same person');
    expect(await outcome(fr.compareFaces(A, B, { signal: new AbortController().signal }))).toBe('ok');
  });

  it('a signal that is not an AbortSignal is INVALID_OPTIONS', async () => {
    expect(await outcome(fr.analyze(A, { signal: 'stop' as unknown as AbortSignal }))).toBe('INVALID_OPTIONS');
  });
});

describe('Node recognizer: dispose() during calls', () => {
  it('rejects the pending calls with DISPOSED and resolves', async () => {
    const fr = await createFaceRecognizer();
    const calls = Array.from({ length: 4 }, () => outcome(fr.compareFaces(A, B)));
    await fr.dispose();
    expect(await Promise.all(calls)).toEqual(['DISPOSED', 'DISPOSED', 'DISPOSED', 'DISPOSED']);
    expect(await outcome(fr.analyze(A))).toBe('DISPOSED');
    expect(fr.stats().pending).toBe(0);
  }, 120_000);
});
