// @vitest-environment node
/** Fault tolerance against the real server's injected faults: retries, backoff, timeouts, auth. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError, createPlatformClient, isPlatformError, staticToken, type ScanEntity } from '../../src/platform/index.js';
import { backoffDelay, parseRetryAfter, resolveRetry } from '../../src/platform/retry.js';
import { harness, rejection, type Harness } from './support.js';

let h: Harness;
let id: string;
let scan: ScanEntity;
const path = (): string => `/v1/face-recognition/${id}`;
const blob = (n: number): Blob => new Blob([new Uint8Array(n)]);

beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(async () => {
  h.reset();
  id = randomUUID();
  scan = (await h.client().updateScan(id, { compareSimilarity: 0.9, compareResult: 'Same person' })) as ScanEntity;
  h.server.requests.length = 0;
});

describe('retries on idempotent calls (GET, PUT)', () => {
  it('retries a 500 and succeeds', async () => {
    h.server.faults.error(500, { times: 2, path: path() });
    expect(await h.client().getScan(id)).toEqual(scan);
    expect(h.count(`GET ${path()}`)).toBe(3);
    expect(h.retries.map((r) => [r.reason, r.status])).toEqual([['status', 500], ['status', 500]]);
  });

  it('backs off exponentially between attempts', async () => {
    h.server.faults.error(503, { times: 3, path: path() });
    await h.client().getScan(id);
    expect(h.retries.map((r) => r.delayMs)).toEqual([5, 10, 20]);
  });

  it('gives up after the retries with HTTP, status and server message', async () => {
    h.server.faults.error(502, { times: 10, path: path(), message: 'upstream down' });
    const e = await rejection(h.client().getScan(id));
    expect(e).toMatchObject({ code: 'HTTP', status: 502, serverMessage: 'upstream down', attempts: 4 });
    expect(h.count(`GET ${path()}`)).toBe(4);
  });

  it('retries a PUT on 500 and a 408', async () => {
    h.server.faults.error(500, { path: path(), method: 'PUT' });
    h.server.faults.error(408, { path: path(), method: 'PUT' });
    expect(await h.client().updateScan(id, { compareSimilarity: 0.1 })).toMatchObject({ id, compareSimilarity: 0.1 });
    expect(h.count(`PUT ${path()}`)).toBe(3);
  });

  it('does not retry other 4xx', async () => {
    h.server.faults.error(403, { path: path(), message: 'not your tenant' });
    expect(await rejection(h.client().getScan(id))).toMatchObject({ code: 'HTTP', status: 403, serverMessage: 'not your tenant', attempts: 1 });
  });

  it('retries a dropped connection, and reports NETWORK when it keeps dropping', async () => {
    h.server.faults.drop({ path: path() });
    expect(await h.client().getScan(id)).toEqual(scan);
    expect(h.retries[0]).toMatchObject({ reason: 'network', attempt: 1 });

    h.server.faults.drop({ path: path(), times: 10 });
    const e = await rejection(h.client().getScan(id));
    expect(e).toMatchObject({ code: 'NETWORK', attempts: 4 });
    expect((e as PlatformError).status).toBeUndefined();
  });
});

describe('429 and Retry-After', () => {
  it('waits for Retry-After, then succeeds', async () => {
    h.server.faults.rateLimit(1, { path: path() });
    expect(await h.client().getScan(id)).toEqual(scan);
    expect(h.retries).toHaveLength(1);
    expect(h.retries[0]).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(h.retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('fails at once with RATE_LIMITED when Retry-After is beyond maxRetryAfterMs', async () => {
    h.server.faults.rateLimit(120, { path: path() });
    const e = await rejection(h.client().getScan(id));
    expect(e).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 120_000, attempts: 1 });
    expect(h.retries).toHaveLength(0);
  });

  it('reports RATE_LIMITED when the retries are used up', async () => {
    h.server.faults.rateLimit(0, { path: path(), times: 10 });
    const e = await rejection(h.client({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } }).getScan(id));
    expect(e).toMatchObject({ code: 'RATE_LIMITED', status: 429, attempts: 3, retryAfterMs: 0 });
  });

  it('parses Retry-After as seconds or HTTP-date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('jitters within [step/2, step] and caps the step', () => {
    const p = (r: number) => resolveRetry({ baseDelayMs: 100, maxDelayMs: 1000, random: () => r });
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, p(0)))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, p(0.999999)))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('POST is not retried unless the caller opts in', () => {
  it('does not retry compare_face on 500', async () => {
    h.server.faults.error(500, { path: '/face-recognition-sdk/v1/compare_face' });
    const e = await rejection(h.client().compareFaceRemote(blob(10), blob(10), { channel: 'WEB', reference: 'r' }));
    expect(e).toMatchObject({ code: 'HTTP', status: 500, attempts: 1 });
    expect(h.count('POST /face-recognition-sdk/v1/compare_face')).toBe(1);
  });

  it('does not retry compare_face on a dropped connection', async () => {
    h.server.faults.drop({ path: '/face-recognition-sdk/v1/compare_face' });
    const e = await rejection(h.client().compareFaceRemote(blob(10), blob(10), { channel: 'WEB', reference: 'r' }));
    expect(e).toMatchObject({ code: 'NETWORK', attempts: 1 });
  });

  it('retries (and re-sends the multipart body) with retry: true', async () => {
    h.server.faults.error(503, { path: '/face-recognition-sdk/v1/compare_face' });
    h.server.faults.rateLimit(0, { path: '/face-recognition-sdk/v1/compare_face' });
    const r = await h.client().compareFaceRemote(blob(100), blob(100), { channel: 'WEB', reference: 'r', retry: true });
    expect(r.compare_similarity).toBeCloseTo(0.95);
    expect(h.count('POST /face-recognition-sdk/v1/compare_face')).toBe(3);
  });
});

describe('timeouts and abort', () => {
  it('times out a slow attempt and retries it', async () => {
    h.server.faults.latency(3_000, { path: path() });
    expect(await h.client({ timeoutMs: 500 }).getScan(id)).toEqual(scan);
    expect(h.retries[0]).toMatchObject({ reason: 'timeout' });
  });

  it('reports TIMEOUT when every attempt is too slow', async () => {
    h.server.faults.latency(400, { path: path(), times: 10 });
    const e = await rejection(h.client({ retry: { retries: 1, baseDelayMs: 1 } }).getScan(id, { timeoutMs: 50 }));
    expect(e).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
  });

  it('ABORTED when the caller aborts during a request, without retrying', async () => {
    h.server.faults.latency(400, { path: path() });
    const ac = new AbortController();
    const p = h.client().getScan(id, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect(await rejection(p)).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(h.retries).toHaveLength(0);
  });

  it('ABORTED when the caller aborts during the backoff sleep', async () => {
    h.server.faults.rateLimit(30, { path: path() });
    const ac = new AbortController();
    const p = h.client().getScan(id, { signal: ac.signal });
    while (h.retries.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    expect(await rejection(p)).toMatchObject({ code: 'ABORTED' });
    expect(h.count(`GET ${path()}`)).toBe(1);
  });

  it('ABORTED at once for an already aborted signal', async () => {
    expect(await rejection(h.client().getScan(id, { signal: AbortSignal.abort() }))).toMatchObject({ code: 'ABORTED' });
    expect(h.count(`GET ${path()}`)).toBe(0);
  });
});

describe('401: refresh once, then UNAUTHORIZED', () => {
  it('refreshes the token once after an expired-token 401 and retries', async () => {
    h.server.faults.expiredToken({ path: path() });
    expect(await h.client().getScan(id)).toEqual(scan);
    expect(h.tokens.refreshes).toBe(1);
    expect(h.count(`GET ${path()}`)).toBe(2);
  });

  it('refreshes POSTs too (a 401 was not processed)', async () => {
    h.server.faults.expiredToken({ path: '/face-recognition-sdk/v1/compare_face' });
    await h.client().compareFaceRemote(blob(10), blob(12), { channel: 'WEB', reference: 'r' });
    expect(h.tokens.refreshes).toBe(1);
  });

  it('UNAUTHORIZED when the refreshed token is refused as well', async () => {
    h.server.faults.expiredToken({ path: path(), times: 5 });
    const e = await rejection(h.client().getScan(id));
    expect(e).toMatchObject({ code: 'UNAUTHORIZED', status: 401, serverMessage: 'Jwt expired', attempts: 2 });
    expect(h.tokens.refreshes).toBe(1);
  });

  it('a real expired JWT is refused by the server and refreshed by the client', async () => {
    let calls = 0;
    const auth = {
      getAccessToken: async ({ forceRefresh }: { forceRefresh: boolean }) => {
        calls += 1;
        return h.server.issueToken({ expiresInSec: forceRefresh ? 60 : -60 });
      },
    };
    expect(await h.client({ auth }).getScan(id)).toEqual(scan);
    expect(calls).toBe(2);
  });

  it('UNAUTHORIZED with a static token that cannot refresh, and with no token', async () => {
    const expired = await h.server.issueToken({ expiresInSec: -60 });
    const e = await rejection(h.client({ auth: staticToken(expired) }).getScan(id));
    expect(e).toMatchObject({ code: 'UNAUTHORIZED', status: 401, serverCode: 'invalid_token', serverMessage: 'Jwt expired' });
    const anon = createPlatformClient({ baseUrl: h.server.url });
    expect(await rejection(anon.getScan(id))).toMatchObject({ code: 'UNAUTHORIZED', status: 401, attempts: 1 });
  });

  it('UNAUTHORIZED when the token provider throws', async () => {
    const auth = { getAccessToken: () => Promise.reject(new Error('no session')) };
    const e = await rejection(h.client({ auth }).getScan(id));
    expect(e).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((e as Error).message).toContain('no session');
  });
});

describe('malformed responses', () => {
  it('malformed JSON is PLATFORM_SCHEMA at the root, not retried', async () => {
    h.server.faults.malformedJson({ path: path() });
    const e = await rejection(h.client().getScan(id));
    expect(e).toMatchObject({ code: 'PLATFORM_SCHEMA', path: '(root)', status: 200, attempts: 1 });
    expect(isPlatformError(e, 'PLATFORM_SCHEMA')).toBe(true);
  });

  it('an empty 200 body where an entity is due is PLATFORM_SCHEMA', async () => {
    const api = h.client({ fetch: async () => new Response('', { status: 200 }) });
    expect(await rejection(api.getScan(id))).toMatchObject({ code: 'PLATFORM_SCHEMA', path: '(root)' });
  });

  it('a 204 to a PUT returns what was sent', async () => {
    const api = h.client({ fetch: async () => new Response(null, { status: 204 }) });
    expect(await api.updateScan(id, { elapsedTime: 2 })).toEqual({ elapsedTime: 2, id });
  });
});

describe('injectable fetch and options', () => {
  it('uses the injected fetch and sends the bearer token', async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const api = h.client({
      fetch: (url, init) => {
        seen.push({ url, auth: new Headers(init.headers).get('authorization') });
        return globalThis.fetch(url, init);
      },
      headers: { 'x-client': 'test' },
    });
    await api.getScan(id);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${h.server.url}${path()}`);
    expect(seen[0]!.auth).toMatch(/^Bearer ey/);
  });

  it('maps a refused connection to NETWORK', async () => {
    const dead = createPlatformClient({ baseUrl: 'http://127.0.0.1:9', retry: { retries: 1, baseDelayMs: 1 } });
    expect(await rejection(dead.getScan(id))).toMatchObject({ code: 'NETWORK', attempts: 2 });
  });

  it('rejects a relative baseUrl', () => {
    expect(() => createPlatformClient({ baseUrl: '/api' })).toThrow(PlatformError);
  });

  it('errors serialise for postMessage', async () => {
    const e = (await rejection(h.client().getScan(randomUUID()))) as PlatformError;
    const plain = structuredClone(e.toJSON());
    expect(plain).toMatchObject({ code: 'NOT_FOUND', status: 404, name: 'PlatformError' });
    const back = PlatformError.fromJSON(plain);
    expect(back).toBeInstanceOf(PlatformError);
    expect(back).toMatchObject({ code: 'NOT_FOUND', status: 404, message: e.message, url: e.url });
  });
});
