/**
 * npm run build: dist/ as published. ES modules + .d.ts per entry, the prebuilt workers, the
 * standalone browser bundle, and dist/assets/ — everything a page fetches at run time: workers,
 * onnxruntime-web's two .wasm builds (matching the glue bundled in the workers), the SDK's models
 * (those models/manifest.json does not mark `use: "evaluation"`) and a manifest.json of it all.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { library, standalone, workers } from '../vite.lib.config.js';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
// Built aside, then swapped in: tests running meanwhile never see a half-written dist/.
const stage = join(root, `.dist-stage-${process.pid}`);
const assets = join(stage, 'assets');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const t0 = Date.now();

rmSync(stage, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

process.chdir(root);
await build(library(stage));
await build(workers(assets, 'recognizer.worker'));
await build(workers(assets, 'recognizer-webgpu.worker'));
await build(standalone(assets));

// onnxruntime-web's .wasm next to the workers that carry its glue (same version, always).
const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.asyncify.wasm']) copyFileSync(join(ortDist, f), join(assets, f));

// The SDK's models, verified against the pinned sha256 (npm run models fetches them).
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const source = JSON.parse(readFileSync(join(root, 'models/manifest.json'), 'utf8')) as {
  source: unknown; models: Record<string, { file: string; sha256: string; use?: string }>;
};
const models = Object.fromEntries(Object.entries(source.models).filter(([, m]) => m.use !== 'evaluation'));
for (const m of Object.values(models)) {
  const from = join(root, 'models', m.file);
  if (!existsSync(from)) throw new Error(`models/${m.file} is missing: run npm run models`);
  if (sha256(from) !== m.sha256) throw new Error(`models/${m.file} does not match its pinned sha256`);
  copyFileSync(from, join(assets, m.file));
}

// manifest.json: the models (as models/manifest.json, SDK ones only) and every asset's size and sha256.
const files = ['face-compare-sdk.js', 'recognizer.worker.js', 'recognizer-webgpu.worker.js', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.asyncify.wasm', ...Object.values(models).map((m) => m.file)];
const manifest = {
  name: 'face-compare-sdk',
  version: pkg.version,
  source: source.source,
  models,
  files: Object.fromEntries(files.map((f) => [f, { bytes: statSync(join(assets, f)).size, sha256: sha256(join(assets, f)) }])),
};
writeFileSync(join(assets, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Declarations, one .d.ts per module (tsconfig.build.json).
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', stage], { stdio: 'inherit', cwd: root });

// Swap in. dist/demo (the demo's own build, vite.config.ts) is left alone.
mkdirSync(dist, { recursive: true });
for (const entry of readdirSync(stage)) {
  rmSync(join(dist, entry), { recursive: true, force: true });
  renameSync(join(stage, entry), join(dist, entry));
}
rmSync(stage, { recursive: true, force: true });
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
console.log(`build: dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
