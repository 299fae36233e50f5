/** The platform REST client: scans CRUD + pagination and the remote compare_face call. */
import { z } from 'zod';
import { PlatformError } from './errors.js';
import { springPagination, type Page, type PageRequest, type PaginationAdapter } from './pagination.js';
import { CompareResultSchema, IdSchema, SalesChannelSchema, ScanEntitySchema, type CompareResult, type SalesChannel, type ScanEntity } from './schemas.js';
import { Transport, type RawResponse, type TransportOptions } from './transport.js';
import { validate, zodError } from './validate.js';

export interface PlatformClientOptions extends TransportOptions {
  /** Page query/shape mapping. Default {@link springPagination}. */
  pagination?: PaginationAdapter;
  /** Endpoint paths below baseUrl (override if the platform mounts them elsewhere). */
  paths?: { scans?: string; compareFace?: string };
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout for this call, ms. */
  timeoutMs?: number;
}

export interface ListPageOptions extends CallOptions {
  page?: number;
  size?: number;
  sort?: string | readonly string[];
}

export interface ListAllOptions extends CallOptions {
  /** Page size. Default 20. */
  size?: number;
  sort?: string | readonly string[];
  /** First page to read. Default 0. */
  startPage?: number;
  /** Safety stop. Default unlimited. */
  maxPages?: number;
}

export type PlatformImageInput = Blob | ArrayBuffer | ArrayBufferView;

export interface CompareFaceOptions extends CallOptions {
  channel: SalesChannel;
  reference: string;
  /** POST is not retried by default (it creates a scan); `true` opts in. */
  retry?: boolean;
}

export interface PlatformClient {
  readonly baseUrl: string;
  getScan(id: string, options?: CallOptions): Promise<ScanEntity>;
  updateScan(id: string, entity: ScanEntity, options?: CallOptions): Promise<ScanEntity>;
  listScansPage(options?: ListPageOptions): Promise<Page<ScanEntity>>;
  listScans(options?: ListAllOptions): AsyncGenerator<ScanEntity, void, undefined>;
  compareFaceRemote(file1: PlatformImageInput, file2: PlatformImageInput, options: CompareFaceOptions): Promise<CompareResult>;
}

const DEFAULT_PAGE_SIZE = 20;

export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const transport = new Transport(options);
  const pagination = options.pagination ?? springPagination;
  const scansPath = options.paths?.scans ?? '/v1/face-recognition';
  const comparePath = options.paths?.compareFace ?? '/face-recognition-sdk/v1/compare_face';

  const call = (o: CallOptions): Pick<CallOptions, 'signal' | 'timeoutMs'> => ({
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
  const ctx = (r: RawResponse, what: string) => ({ what, status: r.status, method: r.method, url: r.url });

  function checkId(id: string): string {
    validate(IdSchema, id, { what: 'scan id', code: 'INVALID_INPUT' });
    return `${scansPath}/${encodeURIComponent(id)}`;
  }

  async function getScan(id: string, o: CallOptions = {}): Promise<ScanEntity> {
    const path = checkId(id);
    const r = await transport.send({ method: 'GET', path, ...call(o) });
    return validate(ScanEntitySchema, r.body, ctx(r, `GET ${scansPath}/{id} response`));
  }

  async function updateScan(id: string, entity: ScanEntity, o: CallOptions = {}): Promise<ScanEntity> {
    const path = checkId(id);
    const body = validate(ScanEntitySchema, entity, { what: 'scan entity', code: 'INVALID_INPUT' });
    if (body.id !== undefined && body.id.toLowerCase() !== id.toLowerCase()) {
      throw new PlatformError('INVALID_INPUT', `entity.id ${body.id} differs from the id in the path ${id}`, { path: 'id' });
    }
    const r = await transport.send({ method: 'PUT', path, json: { ...body, id }, ...call(o) });
    // A 204/empty PUT answers nothing to validate: the caller gets what was sent (validated above).
    if (r.body === undefined) return { ...body, id };
    return validate(ScanEntitySchema, r.body, ctx(r, `PUT ${scansPath}/{id} response`));
  }

  async function listScansPage(o: ListPageOptions = {}): Promise<Page<ScanEntity>> {
    const req: PageRequest = { page: o.page ?? 0, size: o.size ?? DEFAULT_PAGE_SIZE, ...(o.sort !== undefined ? { sort: o.sort } : {}) };
    if (!Number.isInteger(req.page) || req.page < 0) throw new PlatformError('INVALID_INPUT', 'page must be an integer ≥ 0', { path: 'page' });
    if (!Number.isInteger(req.size) || req.size < 1) throw new PlatformError('INVALID_INPUT', 'size must be an integer ≥ 1', { path: 'size' });
    const r = await transport.send({ method: 'GET', path: scansPath, query: pagination.toQuery(req), ...call(o) });
    const what = `GET ${scansPath} response`;
    let raw;
    try {
      raw = pagination.fromResponse(r.body, req);
    } catch (e) {
      if (e instanceof z.ZodError) throw zodError(e, ctx(r, what));
      throw e;
    }
    const prefix = raw.itemsPath ?? [];
    const items = raw.items.map((item, i) => validate(ScanEntitySchema, item, { ...ctx(r, what), prefix: [...prefix, i] }));
    const page: Page<ScanEntity> = { items, page: raw.page, size: raw.size, hasNext: raw.hasNext };
    if (raw.totalElements !== undefined) page.totalElements = raw.totalElements;
    if (raw.totalPages !== undefined) page.totalPages = raw.totalPages;
    return page;
  }

  async function* listScans(o: ListAllOptions = {}): AsyncGenerator<ScanEntity, void, undefined> {
    let page = o.startPage ?? 0;
    const maxPages = o.maxPages ?? Number.POSITIVE_INFINITY;
    for (let read = 0; read < maxPages; read++) {
      const p = await listScansPage({ ...call(o), page, size: o.size ?? DEFAULT_PAGE_SIZE, ...(o.sort !== undefined ? { sort: o.sort } : {}) });
      yield* p.items;
      if (!p.hasNext || p.items.length === 0) return;
      page += 1;
    }
  }

  async function compareFaceRemote(file1: PlatformImageInput, file2: PlatformImageInput, o: CompareFaceOptions): Promise<CompareResult> {
    const channel = validate(SalesChannelSchema, o?.channel, { what: 'channel', code: 'INVALID_INPUT', prefix: ['channel'] });
    const reference = validate(z.string().min(1), o?.reference, { what: 'reference', code: 'INVALID_INPUT', prefix: ['reference'] });
    const form = new FormData();
    form.set('channel', channel);
    form.set('file1', toBlob(file1, 'file1'), fileName(file1, 'file1'));
    form.set('file2', toBlob(file2, 'file2'), fileName(file2, 'file2'));
    form.set('reference', reference);
    const r = await transport.send({ method: 'POST', path: comparePath, form, retry: o.retry ?? false, ...call(o) });
    return validate(CompareResultSchema, r.body, ctx(r, `POST ${comparePath} response`));
  }

  return { baseUrl: transport.baseUrl, getScan, updateScan, listScansPage, listScans, compareFaceRemote };
}

function toBlob(x: PlatformImageInput, name: string): Blob {
  if (x instanceof Blob) return x;
  if (x instanceof ArrayBuffer) return new Blob([x]);
  if (ArrayBuffer.isView(x)) return new Blob([new Uint8Array(x.buffer, x.byteOffset, x.byteLength).slice()]);
  throw new PlatformError('INVALID_INPUT', `${name} must be a Blob, File, ArrayBuffer or typed array`, { path: name });
}

function fileName(x: PlatformImageInput, fallback: string): string {
  const n = (x as { name?: unknown }).name;
  return typeof n === 'string' && n !== '' ? n : fallback;
}
