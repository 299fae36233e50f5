// @vitest-environment node
/**
 * The model download (runtime/model-cache.ts) against a local server that misbehaves the way real
 * networks do, on the real fr_eye.onnx: a reset connection, a 5xx, a body cut short and a stall are
 * retried with backoff and the verified bytes come back; bytes that do not match the pinned sha256
 * are fetched once more; a file that cannot be had fails naming the file, the cause and the attempts.
 * Node has no Cache Storage, as a browser's private mode may not: every load is a download.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../src/runtime/manifest.js';
import { loadModelBytes, type FetchPolicy } from '../src/runtime/model-cache.js';
import { sha256Hex } from '../src/runtime/session.js';
import { DEFAULT_MODELS_DIR } from '../src/node/models.js';

const info = MODELS.fr_eye;
const model = readFileSync(join(DEFAULT_MODELS_DIR, info.file));
/** Short waits, so a stall costs a second here (the shipped policy waits 30 s). */
const FAST: FetchPolicy = { attempts: 4, backoffMs: 20, stallMs: 1000 };

type Fault = (res: ServerResponse) => void;
let server: Server;
let base: string;
let plan: Fault[] = [];
let requests = 0;

const whole: Fault = (res) => { res.writeHead(200, { 'content-length': model.length }); res.end(model); };
const reset: Fault = (res) => res.socket?.destroy();
const busy: Fault = (res) => { res.writeHead(503); res.end('busy'); };
const cut: Fault = (res) => {
  res.writeHead(200, { 'content-length': model.length });
  res.write(model.subarray(0, model.length >> 1), () => res.socket?.destroy());
};
const stall: Fault = (res) => { res.writeHead(200, { 'content-length': model.length }); res.write(model.subarray(0, 1000)); /* then nothing */ };
const corrupt: Fault = (res) => { const b = Buffer.from(model); b[b.length >> 1]! ^= 0xff; res.writeHead(200); res.end(b); };

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    (plan.shift() ?? whole)(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function load(faults: Fault[]) {
  plan = [...faults];
  requests = 0;
  const sources: string[] = [];
  const progress: number[] = [];
  const bytes = await loadModelBytes(base + info.file, info, { onSource: (_f, s) => sources.push(s), onBytes: (_f, n) => progress.push(n) }, FAST);
  return { bytes, sources, progress, requests };
}

describe('model download faults', () => {
  it('reset, 503, cut body and stall are each retried; the verified model comes back', async () => {
    for (const fault of [reset, busy, cut, stall]) {
      const r = await load([fault]);
      expect(await sha256Hex(r.bytes)).toBe(info.sha256);
      expect(r.requests).toBe(2);
      expect(r.progress.at(-1)).toBe(model.length); // progress counts the good attempt to its end
      expect(r.sources).toEqual(['network']);
    }
  });

  it('several faults in a row, within the attempts', async () => {
    const r = await load([reset, busy, cut]);
    expect(await sha256Hex(r.bytes)).toBe(info.sha256);
    expect(r.requests).toBe(4);
  });

  it('bytes that do not match the pinned sha256 are fetched once more (refetch)', async () => {
    const r = await load([corrupt]);
    expect(await sha256Hex(r.bytes)).toBe(info.sha256);
    expect(r.sources).toEqual(['refetch']);
    // Twice bad: the bad bytes are returned once more and Model.load refuses them (MODEL_INTEGRITY).
    const twice = await load([corrupt, corrupt]);
    expect(await sha256Hex(twice.bytes)).not.toBe(info.sha256);
    expect(twice.requests).toBe(2);
  });

  it('a file that cannot be had fails with the file, the cause and the attempts', async () => {
    await expect(load([busy, busy, busy, busy])).rejects.toThrow(/HTTP 503 \(fr_eye\.onnx, 4 attempts\)/);
    plan = [];
    // A 404 is not retried: the URL is wrong, not the network.
    plan = [(res) => { res.writeHead(404); res.end(); }];
    requests = 0;
    await expect(loadModelBytes(base + info.file, info, {}, FAST)).rejects.toThrow(/HTTP 404 \(fr_eye\.onnx, 1 attempt\)/);
    expect(requests).toBe(1);
  });
});
