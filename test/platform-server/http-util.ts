/** Small HTTP helpers for the test/dev platform server (Node `http`). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** CORS for any origin: the browser demo/test page is served from another loopback port. */
export function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('access-control-allow-origin', origin ?? '*');
  res.setHeader('vary', 'origin');
  res.setHeader('access-control-allow-methods', 'GET, PUT, POST, OPTIONS');
  res.setHeader('access-control-allow-headers', 'authorization, content-type, accept, dpop');
  res.setHeader('access-control-expose-headers', 'retry-after, www-authenticate');
  res.setHeader('access-control-max-age', '600');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendRaw(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.end(text);
}

/** Spring Boot's default error body: `{ timestamp, status, error, message, path }`. */
export function sendError(res: ServerResponse, path: string, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { timestamp: new Date().toISOString(), status, error: reason(status), message, path }, headers);
}

export function redirect(res: ServerResponse, location: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function readJsonBody(req: IncomingMessage, limit = 1 << 20): Promise<unknown> {
  const ct = req.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(ct)) throw new HttpError(415, 'expected content-type application/json');
  const buf = await readBody(req, limit);
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

export async function readForm(req: IncomingMessage, limit: number): Promise<URLSearchParams> {
  const buf = await readBody(req, limit);
  return new URLSearchParams(buf.toString('utf8'));
}

/** multipart/form-data through the WHATWG `Request#formData()` parser that Node ships (undici). */
export async function readMultipart(req: IncomingMessage, limit: number): Promise<FormData> {
  const ct = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(ct)) throw new HttpError(415, 'expected content-type multipart/form-data');
  const buf = await readBody(req, limit);
  try {
    return await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': ct }, body: new Uint8Array(buf) }).formData();
  } catch {
    throw new HttpError(400, 'malformed multipart body');
  }
}
