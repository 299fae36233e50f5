/**
 * A static file server for the consumer apps: COOP/COEP (threads), optional extra headers (CSP) and,
 * with `precompressed`, what nginx `brotli_static` / `gzip_static` and Caddy `precompressed br gzip`
 * do: `file.br` (or `file.gz`) sent as it is when the request accepts it, with `Content-Encoding`,
 * `Vary: Accept-Encoding` and the original file's Content-Type.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.onnx': 'application/octet-stream', '.jpg': 'image/jpeg', '.css': 'text/css',
};

export interface StaticServer {
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  /** Bytes of the files served so far, as sent (a precompressed copy counts its own size). */
  bytes(): number;
  /** Per path, the Content-Encoding it was sent with ('identity' when none) and its Content-Type. */
  sent: Map<string, { encoding: string; type: string; bytes: number }>;
  close(): Promise<void>;
}

export async function serveStatic(dir: string, headers: Record<string, string> = {}, opts: { precompressed?: boolean } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const sent: StaticServer['sent'] = new Map();
  let served = 0;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const accepted = String(req.headers['accept-encoding'] ?? '').split(',').map((e) => e.trim().split(';')[0]);
    const encoding = !opts.precompressed ? undefined : (['br', 'gzip'] as const).find((e) => accepted.includes(e) && existsSync(`${file}.${e === 'br' ? 'br' : 'gz'}`));
    const body = encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file;
    res.writeHead(200, {
      'Content-Type': type,
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      ...(opts.precompressed ? { Vary: 'Accept-Encoding' } : {}),
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      ...headers,
    });
    served += statSync(body).size;
    sent.set(path, { encoding: encoding ?? 'identity', type, bytes: statSync(body).size });
    createReadStream(body).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    sent,
    bytes: () => served,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
