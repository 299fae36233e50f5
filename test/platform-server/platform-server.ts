/**
 * Test/dev double of the platform: the /v1/face-recognition scan records (in memory), the
 * compare_face multipart endpoint (a deterministic fake, see fake-compare.ts), and an OpenID Connect
 * provider (see oidc.ts), with fault injection. Listens on 127.0.0.1 only.
 *
 *   npm run platform            # port 8787, or PORT=… / --port …
 *
 * In code: `const s = await startPlatformServer({ port: 0 })` → `{ url, close, issueToken, faults, store, oidc }`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { ScanEntitySchema, SALES_CHANNELS } from '../../src/platform/schemas.js';
import { fakeCompare } from './fake-compare.js';
import { Faults, type FaultKind } from './faults.js';
import { HttpError, cors, readForm, readJsonBody, readMultipart, redirect, sendError, sendJson, sendRaw } from './http-util.js';
import { OAuthError, OidcProvider, type IssueTokenOptions } from './oidc.js';
import { ScanStore, parseSort, type ScanRecord } from './store.js';

export interface PlatformServerOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Scans to create at start. Default 0. */
  seed?: number;
  /** Access token lifetime, seconds. Default 300. */
  accessTokenTtlSec?: number;
  /** Largest accepted upload, bytes. Default 20 MiB. */
  maxUploadBytes?: number;
  /** Largest page size; larger requests are clamped (Spring's default is 2000). Default 2000. */
  maxPageSize?: number;
  /** Log requests to stderr. Default false. */
  log?: boolean;
}

export interface PlatformServer {
  /** `http://127.0.0.1:PORT`: the API base URL and the OIDC issuer. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** A signed access token for the API (for scripts and tests that skip the browser flow). */
  issueToken(options?: IssueTokenOptions): Promise<string>;
  faults: Faults;
  store: ScanStore;
  oidc: OidcProvider;
  /** Requests seen (last 10 000), newest last: `METHOD /path` (tests count retries with it). */
  requests: string[];
}

const SCANS = '/v1/face-recognition';
const COMPARE = '/face-recognition-sdk/v1/compare_face';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startPlatformServer(options: PlatformServerOptions = {}): Promise<PlatformServer> {
  const faults = new Faults();
  const store = new ScanStore();
  const requests: string[] = [];
  const maxUpload = options.maxUploadBytes ?? 20 * 1024 * 1024;
  const maxPageSize = options.maxPageSize ?? 2000;
  let oidc!: OidcProvider; // set right after listen(), before any request can arrive

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) sendError(res, req.url ?? '/', 500, e instanceof Error ? e.message : String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    requests.push(`${method} ${path}`);
    if (requests.length > 10_000) requests.splice(0, requests.length - 10_000); // a long-running dev server
    if (options.log) process.stderr.write(`${method} ${url.pathname}${url.search}\n`);
    cors(req, res);
    if (method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    try {
      if (path === '/.well-known/openid-configuration' && method === 'GET') return sendJson(res, 200, oidc.discovery());
      if (path === '/jwks' && method === 'GET') return sendJson(res, 200, oidc.jwks());
      if (path === '/authorize' && method === 'GET') {
        const fault = faults.take('authorize', method, path);
        return redirect(res, oidc.authorize(url.searchParams, fault?.kind === 'deny'));
      }
      if (path === '/token' && method === 'POST') return await token(req, res, path);
      if (path === SCANS || path.startsWith(`${SCANS}/`) || path === COMPARE) return await api(req, res, method, path, url);
      if (path === '/' && method === 'GET') return sendJson(res, 200, { name: 'platform test double', issuer: oidc.issuer, endpoints: [SCANS, COMPARE] });
      throw new HttpError(404, `No endpoint ${method} ${path}`);
    } catch (e) {
      if (e instanceof HttpError) return sendError(res, path, e.status, e.message, e.headers);
      throw e;
    }
  }

  async function token(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const fault = faults.take('token', 'POST', path);
    if (fault && (await applyFault(fault, req, res, path))) return;
    try {
      const body = await oidc.token(await readForm(req, 64 * 1024));
      sendJson(res, 200, body, { pragma: 'no-cache' });
    } catch (e) {
      if (e instanceof OAuthError) return sendJson(res, e.status, { error: e.error, error_description: e.description });
      throw e;
    }
  }

  /** Returns true when the fault answered the request itself. */
  async function applyFault(f: FaultKind, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    switch (f.kind) {
      case 'latency':
        await new Promise((r) => setTimeout(r, f.ms));
        return res.destroyed; // the client may have given up meanwhile
      case 'status':
        sendError(res, path, f.status ?? 500, f.message ?? 'Injected failure');
        return true;
      case 'rateLimit':
        sendError(res, path, 429, 'Too many requests', { 'retry-after': String(f.retryAfterSec) });
        return true;
      case 'drop':
        req.socket.destroy();
        return true;
      case 'expiredToken':
        sendError(res, path, 401, 'Jwt expired', { 'www-authenticate': 'Bearer realm="platform", error="invalid_token", error_description="Jwt expired"' });
        return true;
      case 'malformedJson':
        sendRaw(res, 200, '{"id": "0b5c3f0e-1b7e-4d0e-9a38-6c1f5d2a7e11", "compareSimilarity": 0.8', { 'content-type': 'application/json' });
        return true;
      case 'badBody':
        sendJson(res, 200, f.body);
        return true;
      case 'deny':
        return false;
    }
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string, path: string, url: URL): Promise<void> {
    const fault = faults.take('api', method, path);
    if (fault && (await applyFault(fault, req, res, path))) return;
    const claims = await oidc.verifyBearer(req.headers.authorization);
    const userId = typeof claims.sub === 'string' && UUID.test(claims.sub) ? claims.sub : oidc.userId;
    const companyId = typeof claims.company_id === 'string' ? claims.company_id : oidc.companyId;

    if (path === COMPARE) {
      if (method !== 'POST') throw new HttpError(405, `${method} not supported`);
      return compare(req, res, companyId, userId);
    }
    if (path === SCANS) {
      if (method !== 'GET') throw new HttpError(405, `${method} not supported`);
      return list(res, url);
    }
    const id = decodeURIComponent(path.slice(SCANS.length + 1));
    if (!UUID.test(id)) throw new HttpError(400, `'${id}' is not a valid UUID`);
    if (method === 'GET') {
      const r = store.get(id);
      if (!r) throw new HttpError(404, `FaceRecognition ${id} not found`);
      return sendJson(res, 200, r);
    }
    if (method === 'PUT') {
      const body = await readJsonBody(req);
      const parsed = ScanEntitySchema.safeParse(body);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        throw new HttpError(400, `Validation failed for field '${i.path.join('.')}': ${i.message}`);
      }
      if (parsed.data.id !== undefined && parsed.data.id.toLowerCase() !== id.toLowerCase()) throw new HttpError(400, 'id in body differs from id in path');
      const { created, record } = store.put(id, parsed.data as ScanRecord, userId, companyId);
      return sendJson(res, created ? 201 : 200, record);
    }
    throw new HttpError(405, `${method} not supported`);
  }

  function list(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const int = (name: string, def: number): number => {
      const v = q.get(name);
      if (v === null) return def;
      if (!/^\d+$/.test(v)) throw new HttpError(400, `parameter '${name}' must be a non-negative integer`);
      return Number(v);
    };
    const all = store.sorted(parseSort(q.getAll('sort')));
    if (q.has('limit') || q.has('offset')) {
      // Alternative, non-Spring shape, for pagination-adapter tests: ?offset=&limit= → { items, total, offset, limit }.
      const offset = int('offset', 0);
      const limit = Math.max(1, Math.min(int('limit', 20), maxPageSize));
      return sendJson(res, 200, { items: all.slice(offset, offset + limit), total: all.length, offset, limit });
    }
    const page = int('page', 0);
    const size = Math.max(1, Math.min(int('size', 20), maxPageSize));
    const content = all.slice(page * size, page * size + size);
    const totalPages = Math.ceil(all.length / size);
    sendJson(res, 200, {
      content,
      pageable: { pageNumber: page, pageSize: size, offset: page * size, paged: true, unpaged: false },
      totalElements: all.length,
      totalPages,
      last: page >= totalPages - 1,
      first: page === 0,
      number: page,
      size,
      numberOfElements: content.length,
      empty: content.length === 0,
    });
  }

  async function compare(req: IncomingMessage, res: ServerResponse, companyId: string, userId: string): Promise<void> {
    const t0 = performance.now();
    const form = await readMultipart(req, maxUpload);
    const channel = form.get('channel');
    const reference = form.get('reference');
    const file1 = form.get('file1');
    const file2 = form.get('file2');
    if (typeof channel !== 'string' || !(SALES_CHANNELS as readonly string[]).includes(channel)) {
      throw new HttpError(400, `channel must be one of ${SALES_CHANNELS.join(', ')}`);
    }
    if (typeof reference !== 'string' || reference === '') throw new HttpError(400, 'reference is required');
    for (const [name, f] of [['file1', file1], ['file2', file2]] as const) {
      if (!(f instanceof Blob) || f.size === 0) throw new HttpError(400, `${name} is required (a non-empty file)`);
    }
    const result = fakeCompare((file1 as Blob).size, (file2 as Blob).size, channel, reference);
    // The platform keeps a scan record for each comparison.
    store.insert({
      id: result.id,
      companyId,
      createdDate: result.created,
      createdById: userId,
      elapsedTime: (performance.now() - t0) / 1000,
      compareResult: result.compare_result,
      compareSimilarity: result.compare_similarity,
      salesChannel: result.channel,
    });
    sendJson(res, 200, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  oidc = await OidcProvider.create(url, options.accessTokenTtlSec !== undefined ? { accessTokenTtlSec: options.accessTokenTtlSec } : {});
  if (options.seed) store.seed(options.seed, oidc.companyId);

  return {
    url,
    port,
    faults,
    store,
    oidc,
    requests,
    issueToken: (o) => oidc.issueAccessToken(o),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ------------------------------------------------------------------------------------------------
// CLI: `npm run platform` / `tsx test/platform-server/platform-server.ts [--port N] [--seed N]`

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(argValue('port') ?? process.env.PORT ?? 8787);
  const seed = Number(argValue('seed') ?? 25);
  const s = await startPlatformServer({ port, seed, log: process.argv.includes('--log') });
  const token = await s.issueToken({ expiresInSec: 12 * 3600 });
  process.stdout.write(
    [
      `platform test double listening on ${s.url}  (${seed} seeded scans, in memory)`,
      `  OIDC issuer      ${s.url}   (discovery: ${s.url}/.well-known/openid-configuration)`,
      `  scans            ${s.url}/v1/face-recognition`,
      `  compare_face     ${s.url}/face-recognition-sdk/v1/compare_face  (fake result from upload sizes)`,
      `  dev token (12 h) ${token}`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void s.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
