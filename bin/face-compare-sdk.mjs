#!/usr/bin/env node
// npx face-compare-sdk assets <dir>: copies what a page fetches at run time (the standalone browser
// module, the prebuilt workers, onnxruntime-web's .wasm, the models) and their manifest.json into
// <dir>, for a CDN, a kiosk server or a strict-CSP page; point `assetBaseUrl` there.
// --precompress also writes <file>.br and <file>.gz beside each file, for servers that send a
// precompressed copy as it is (nginx gzip_static / brotli_static, Caddy precompressed, a CDN).
// Any other command is the face-compare CLI (compare, analyze, batch, eval, …).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { brotliCompress, constants, gzip as gzipCb } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCb);

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'assets') {
  const dir = args.find((a) => !a.startsWith('-'));
  const help = args.includes('--help') || args.includes('-h');
  const precompress = args.includes('--precompress');
  const unknown = args.filter((a) => a.startsWith('-') && !['--help', '-h', '--precompress'].includes(a));
  if (!dir || help || unknown.length > 0) {
    if (unknown.length > 0) console.error(`face-compare-sdk assets: unknown option ${unknown.join(' ')}`);
    (help ? console.log : console.error)('usage: face-compare-sdk assets <dir> [--precompress]\n  --precompress  also write <file>.br and <file>.gz beside each file');
    process.exit(help ? 0 : 2);
  }
  const from = fileURLToPath(new URL('../dist/assets/', import.meta.url));
  if (!existsSync(join(from, 'manifest.json'))) {
    console.error(`face-compare-sdk: ${from} has no manifest.json (from a source checkout, run npm run build first)`);
    process.exit(1);
  }
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8'));
  const to = resolve(dir);
  mkdirSync(to, { recursive: true });
  let total = 0;
  for (const [file, { bytes, sha256 }] of Object.entries(manifest.files)) {
    const data = readFileSync(join(from, file));
    // The package's own files, checked on the way out: a corrupted install is not published further.
    if (createHash('sha256').update(data).digest('hex') !== sha256) {
      console.error(`face-compare-sdk: ${file} does not match manifest.json's sha256; reinstall the package`);
      process.exit(1);
    }
    copyFileSync(join(from, file), join(to, file));
    total += bytes;
  }
  copyFileSync(join(from, 'manifest.json'), join(to, 'manifest.json'));
  console.log(`face-compare-sdk ${manifest.version}: ${Object.keys(manifest.files).length + 1} files, ${(total / 1e6).toFixed(1)} MB → ${to}`);
  if (precompress) {
    // Brotli quality 9 (quality 11 makes the wasm 14 % smaller, 2.30 vs 2.67 MB, for 7x the time) and gzip -9, every file at once (zlib's thread pool): done once at
    // deploy time, served many times. A server sends file.br / file.gz with Content-Encoding and the
    // original's Content-Type (docs/package.md, "Precompressed assets").
    const files = [...Object.keys(manifest.files), 'manifest.json'];
    const sizes = await Promise.all(files.map(async (file) => {
      const data = readFileSync(join(to, file));
      const [b, g] = await Promise.all([
        brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
        gzip(data, { level: 9 }),
      ]);
      writeFileSync(join(to, `${file}.br`), b);
      writeFileSync(join(to, `${file}.gz`), g);
      return [data.length, b.length, g.length];
    }));
    const [raw, br, gz] = [0, 1, 2].map((k) => sizes.reduce((s, x) => s + x[k], 0));
    console.log(`  precompressed: ${files.length} × .br (${(br / 1e6).toFixed(1)} MB) and .gz (${(gz / 1e6).toFixed(1)} MB) of ${(raw / 1e6).toFixed(1)} MB; serve them with Content-Encoding and the original Content-Type (.wasm: application/wasm)`);
  }
  console.log(`  page: import { createFaceRecognizer } from '<url of ${dir}>/face-compare-sdk.js' (or your bundle),`);
  console.log(`        createFaceRecognizer({ assetBaseUrl: '<url of ${dir}>/' })`);
} else {
  await import('../dist/node/cli.js');
}
