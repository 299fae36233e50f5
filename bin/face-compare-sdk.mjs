#!/usr/bin/env node
// npx face-compare-sdk assets <dir>: copies what a page fetches at run time (the standalone browser
// module, the prebuilt workers, onnxruntime-web's .wasm, the models) and their manifest.json into
// <dir>, for a CDN, a kiosk server or a strict-CSP page; point `assetBaseUrl` there.
// Any other command is the face-compare CLI (compare, analyze, batch, eval, …).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'assets') {
  const dir = args.find((a) => !a.startsWith('-'));
  const help = args.includes('--help') || args.includes('-h');
  if (!dir || help) {
    (help ? console.log : console.error)('usage: face-compare-sdk assets <dir>');
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
  console.log(`  page: import { createFaceRecognizer } from '<url of ${dir}>/face-compare-sdk.js' (or your bundle),`);
  console.log(`        createFaceRecognizer({ assetBaseUrl: '<url of ${dir}>/' })`);
} else {
  await import('../dist/node/cli.js');
}
