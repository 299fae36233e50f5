// @vitest-environment node
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CompareResultSchema } from '../../src/contract/index.js';
import {
  PlatformError,
  ScanEntitySchema,
  toScanEntity,
  type PaginationAdapter,
  type ScanEntity,
} from '../../src/platform/index.js';
import { harness, rejection, type Harness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.reset());

const example = JSON.parse(readFileSync(new URL('../../../shared/spec/compare_face.example.json', import.meta.url), 'utf8')) as unknown;

describe('getScan / updateScan', () => {
  it('creates with PUT, reads it back with GET, and updates it', async () => {
    const api = h.client();
    const id = randomUUID();
    const created = await api.updateScan(id, { compareResult: 'Same person', compareSimilarity: 0.83, salesChannel: 'WEB', elapsedTime: 0.4 });
    expect(created).toMatchObject({ id, compareResult: 'Same person', compareSimilarity: 0.83, salesChannel: 'WEB', elapsedTime: 0.4 });
    expect(created.companyId).toBe(h.server.oidc.companyId);
    expect(created.createdById).toBe(h.server.oidc.userId);
    expect(created.createdDate).toBeTypeOf('string');

    expect(await api.getScan(id)).toEqual(created);

    const updated = await api.updateScan(id, { ...created, compareSimilarity: 0.2, compareResult: 'Different person' });
    expect(updated).toMatchObject({ id, compareSimilarity: 0.2, compareResult: 'Different person', createdDate: created.createdDate });
    expect(h.count(`PUT /v1/face-recognition/${id}`)).toBe(2);
  });

  it('reads Jackson nulls as absent and drops unknown fields', async () => {
    const id = randomUUID();
    h.server.store.scans.set(id, { id, companyId: null, compareSimilarity: 0.5, futureField: 'x' });
    const scan = await h.client().getScan(id);
    expect(scan).toEqual({ id, compareSimilarity: 0.5 });
  });

  it('maps a missing scan to NOT_FOUND with the server message', async () => {
    const id = randomUUID();
    const e = await rejection(h.client().getScan(id));
    expect(e).toBeInstanceOf(PlatformError);
    expect(e).toMatchObject({ code: 'NOT_FOUND', status: 404, serverMessage: `FaceRecognition ${id} not found`, method: 'GET', attempts: 1 });
  });

  it('rejects a bad id or entity before any request (INVALID_INPUT)', async () => {
    const api = h.client();
    const before = h.server.requests.length;
    expect(await rejection(api.getScan('../etc/passwd'))).toMatchObject({ code: 'INVALID_INPUT' });
    const bad = { compareSimilarity: 'high' } as unknown as ScanEntity;
    expect(await rejection(api.updateScan(randomUUID(), bad))).toMatchObject({ code: 'INVALID_INPUT', path: 'compareSimilarity' });
    expect(await rejection(api.updateScan(randomUUID(), { id: randomUUID() }))).toMatchObject({ code: 'INVALID_INPUT', path: 'id' });
    expect(h.server.requests.length).toBe(before);
  });

  it('gives a scan that breaks the contract as PLATFORM_SCHEMA with the path', async () => {
    const id = randomUUID();
    h.server.store.scans.set(id, { id, compareSimilarity: 'high' });
    const e = await rejection(h.client().getScan(id));
    expect(e).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'compareSimilarity', status: 200 });
    expect((e as PlatformError).message).toContain('compareSimilarity');
    expect((e as PlatformError).issues?.[0]?.path).toBe('compareSimilarity');
  });

  it('passes a server-side 400 through as HTTP with the server message', async () => {
    // The server validates PUT bodies too; bypass the client check with a custom fetch.
    const id = randomUUID();
    const api = h.client({
      fetch: (url, init) => globalThis.fetch(url, { ...init, body: JSON.stringify({ salesChannel: 'FAX' }) }),
    });
    const e = await rejection(api.updateScan(id, { salesChannel: 'WEB' }));
    expect(e).toMatchObject({ code: 'HTTP', status: 400, attempts: 1 });
    expect((e as PlatformError).serverMessage).toMatch(/salesChannel/);
  });
});

describe('pagination (Spring page/size/sort)', () => {
  it('walks every page with listScans (7 pages of 4)', async () => {
    const seeded = h.server.store.seed(25, h.server.oidc.companyId);
    const api = h.client();
    const seen: ScanEntity[] = [];
    for await (const scan of api.listScans({ size: 4 })) seen.push(scan);
    expect(seen.map((s) => s.id)).toEqual(seeded.map((s) => s.id));
    expect(h.count('GET /v1/face-recognition')).toBe(7);
  });

  it('returns one page with its totals', async () => {
    h.server.store.seed(10, h.server.oidc.companyId);
    const p = await h.client().listScansPage({ page: 2, size: 4 });
    expect(p).toMatchObject({ page: 2, size: 4, totalElements: 10, totalPages: 3, hasNext: false });
    expect(p.items).toHaveLength(2);
    const first = await h.client().listScansPage({ page: 0, size: 4 });
    expect(first.hasNext).toBe(true);
  });

  it('sends sort and gets sorted pages', async () => {
    h.server.store.seed(12, h.server.oidc.companyId);
    const all: number[] = [];
    for await (const s of h.client().listScans({ size: 5, sort: ['compareSimilarity,desc'] })) all.push(s.compareSimilarity!);
    expect(all).toHaveLength(12);
    expect([...all].sort((a, b) => b - a)).toEqual(all);
  });

  it('stops at maxPages and handles an empty store', async () => {
    const api = h.client();
    const none: ScanEntity[] = [];
    for await (const s of api.listScans()) none.push(s);
    expect(none).toEqual([]);
    h.server.store.seed(9, h.server.oidc.companyId);
    const some: ScanEntity[] = [];
    for await (const s of api.listScans({ size: 2, maxPages: 3 })) some.push(s);
    expect(some).toHaveLength(6);
  });

  it('names the offending item of a page (content[i].field)', async () => {
    h.server.store.seed(3, h.server.oidc.companyId);
    const bad = randomUUID();
    h.server.store.scans.set(bad, { id: bad, salesChannel: 'FAX' });
    const e = await rejection(h.client().listScansPage({ page: 1, size: 2 }));
    expect(e).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'content[1].salesChannel' });
  });

  it('rejects a page envelope that is not a Spring page', async () => {
    h.server.faults.badBody({ content: [], totalElements: 'many' }, { method: 'GET', path: '/v1/face-recognition' });
    const e = await rejection(h.client().listScansPage());
    expect(e).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'totalElements' });
  });

  it('takes an adapter for another page shape (offset/limit → items/total)', async () => {
    const seeded = h.server.store.seed(11, h.server.oidc.companyId);
    const Envelope = z.object({ items: z.array(z.unknown()), total: z.number().int(), offset: z.number().int(), limit: z.number().int() });
    const offsetLimit: PaginationAdapter = {
      toQuery: ({ page, size }) => [['offset', String(page * size)], ['limit', String(size)]],
      fromResponse(body) {
        const b = Envelope.parse(body);
        return {
          items: b.items,
          itemsPath: ['items'],
          page: Math.floor(b.offset / b.limit),
          size: b.limit,
          totalElements: b.total,
          hasNext: b.offset + b.items.length < b.total,
        };
      },
    };
    const api = h.client({ pagination: offsetLimit });
    const ids: string[] = [];
    for await (const s of api.listScans({ size: 3 })) ids.push(s.id!);
    expect(ids).toEqual(seeded.map((s) => s.id));
    expect(h.count('GET /v1/face-recognition')).toBe(4);

    h.server.faults.badBody({ items: [{ id: 'nope' }], total: 1, offset: 0, limit: 3 }, { path: '/v1/face-recognition' });
    expect(await rejection(api.listScansPage({ size: 3 }))).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'items[0].id' });
    h.server.faults.badBody({ items: [], total: 'x' }, { path: '/v1/face-recognition' });
    expect(await rejection(api.listScansPage({ size: 3 }))).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'total' });
  });

  it('rejects a bad page request', async () => {
    expect(await rejection(h.client().listScansPage({ page: -1 }))).toMatchObject({ code: 'INVALID_INPUT', path: 'page' });
    expect(await rejection(h.client().listScansPage({ size: 0 }))).toMatchObject({ code: 'INVALID_INPUT', path: 'size' });
  });
});

describe('compareFaceRemote (multipart)', () => {
  it('uploads two files and returns a validated result that depends on the uploads', async () => {
    const api = h.client();
    const a = new Blob([new Uint8Array(3000)], { type: 'image/jpeg' });
    const b = new Uint8Array(2900);
    const r1 = await api.compareFaceRemote(a, b, { channel: 'WEB', reference: '0002' });
    expect(CompareResultSchema.parse(r1)).toEqual(r1);
    expect(r1).toMatchObject({ channel: 'WEB', reference: '0002', compare_result: 'Same person' });
    const r2 = await api.compareFaceRemote(new File([new Uint8Array(3000)], 'a.jpg'), new ArrayBuffer(700), { channel: 'MOBILE', reference: 'x' });
    expect(r2.compare_result).toBe('Different person');
    expect(r2.compare_similarity).toBeLessThan(r1.compare_similarity);
    expect(r2.face2.landmark_68).toHaveLength(68);
    // The platform keeps a scan record for the comparison.
    expect(await api.getScan(r1.id)).toMatchObject({ id: r1.id, compareSimilarity: r1.compare_similarity, salesChannel: 'WEB' });
  });

  it('checks channel and reference before uploading', async () => {
    const api = h.client();
    const f = new Blob([new Uint8Array(10)]);
    expect(await rejection(api.compareFaceRemote(f, f, { channel: 'FAX' as 'WEB', reference: 'r' }))).toMatchObject({ code: 'INVALID_INPUT', path: 'channel' });
    expect(await rejection(api.compareFaceRemote(f, f, { channel: 'WEB', reference: '' }))).toMatchObject({ code: 'INVALID_INPUT', path: 'reference' });
    expect(h.count('POST /face-recognition-sdk/v1/compare_face')).toBe(0);
  });

  it('reports the server 400 for an empty file', async () => {
    const e = await rejection(h.client().compareFaceRemote(new Blob([]), new Blob([new Uint8Array(5)]), { channel: 'WEB', reference: 'r' }));
    expect(e).toMatchObject({ code: 'HTTP', status: 400, serverMessage: 'file1 is required (a non-empty file)' });
  });

  it('names the offending field of a contract-breaking result', async () => {
    const good = await h.client().compareFaceRemote(new Blob([new Uint8Array(50)]), new Blob([new Uint8Array(60)]), { channel: 'WEB', reference: 'r' });
    const broken = { ...good, face1: { ...good.face1, landmark_68: good.face1.landmark_68.slice(0, 67) } };
    h.server.faults.badBody(broken, { path: '/face-recognition-sdk/v1/compare_face' });
    const e = await rejection(h.client().compareFaceRemote(new Blob([new Uint8Array(50)]), new Blob([new Uint8Array(60)]), { channel: 'WEB', reference: 'r' }));
    expect(e).toMatchObject({ code: 'PLATFORM_SCHEMA', path: 'face1.landmark_68' });

    h.server.faults.badBody({ ...good, extra: 1 }, { path: '/face-recognition-sdk/v1/compare_face' });
    const strict = await rejection(h.client().compareFaceRemote(new Blob([new Uint8Array(50)]), new Blob([new Uint8Array(60)]), { channel: 'WEB', reference: 'r' }));
    expect(strict).toMatchObject({ code: 'PLATFORM_SCHEMA' });
  });
});

describe('toScanEntity', () => {
  it('maps the real platform response (snake) to the entity (camel)', () => {
    const result = CompareResultSchema.parse(example);
    const entity = toScanEntity(result, { elapsedTime: 0.42 });
    expect(entity).toEqual({
      id: 'f2d051aa-045d-4f87-822f-ad694464614c',
      createdDate: '2024-05-01T12:12:06.090098',
      elapsedTime: 0.42,
      compareResult: 'Same person',
      compareSimilarity: 0.8381412625312805,
      salesChannel: 'WEB',
    });
    expect(ScanEntitySchema.parse(entity)).toEqual(entity);
  });

  it('round-trips a remote comparison into the scan store', async () => {
    const api = h.client();
    const r = await api.compareFaceRemote(new Blob([new Uint8Array(100)]), new Blob([new Uint8Array(90)]), { channel: 'OTHER', reference: 'k' });
    const companyId = randomUUID();
    const saved = await api.updateScan(r.id, toScanEntity(r, { elapsedTime: 1.5, companyId }));
    expect(saved).toMatchObject({ id: r.id, elapsedTime: 1.5, companyId, salesChannel: 'OTHER', compareResult: r.compare_result });
  });

  it('throws INVALID_INPUT naming the bad field', () => {
    expect(() => toScanEntity({ compare_similarity: 0.5 }, { elapsedTime: -1 })).toThrow(PlatformError);
    try {
      toScanEntity({ channel: 'FAX' });
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_INPUT', path: 'salesChannel' });
    }
  });
});
