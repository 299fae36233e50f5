/** A static file server for the consumer apps: COOP/COEP (threads) and optional extra headers (CSP). */
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
  /** Bytes of the files served so far (uncompressed: this server does not compress). */
  bytes(): number;
  close(): Promise<void>;
}

export async function serveStatic(dir: string, headers: Record<string, string> = {}): Promise<StaticServer> {
  const requests: string[] = [];
  let served = 0;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      ...headers,
    });
    served += statSync(file).size;
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    bytes: () => served,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
