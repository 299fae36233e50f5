/**
 * npm run size: the package's size budgets (README "Package size"), measured on the built dist/.
 *  - main-thread JS: what an app ships for `createFaceRecognizer` + `CompareResultSchema` (a Vite
 *    production build of that app against the package, dependencies included), gzipped;
 *  - worker JS: each prebuilt worker, gzipped;
 *  - bytes before the first compare on wasm: that app's JS, the wasm worker, onnxruntime's wasm
 *    binary and the four start-up models, raw, gzipped (gzip -9) and brotli'd (quality 9): what a
 *    server sends with the copies `npx face-compare-sdk assets --precompress` writes (browsers offer
 *    br over HTTPS, gzip over plain HTTP);
 *  - the tarball: npm pack's size and file list.
 * Exits 1 when a budget is exceeded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(import.meta.dirname, '..');
const assets = join(root, 'dist/assets');
// Decimal units, as npm prints them.
const KB = 1000, MB = 1000 * 1000;
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const raw = (file: string) => readFileSync(file).length;
// The settings of `assets --precompress` (bin/face-compare-sdk.mjs), all files at once on zlib's thread pool.
const br = async (file: string) => {
  const data = readFileSync(file);
  return (await promisify(brotliCompress)(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } })).length;
};
const fmt = (n: number) => (n >= MB ? `${(n / MB).toFixed(2)} MB` : `${(n / KB).toFixed(1)} kB`);

execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

// A minimal app inside the package folder, so 'face-compare-sdk' resolves through the package's own exports.
const app = join(root, 'dist/.size-app');
mkdirSync(app, { recursive: true });
writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
writeFileSync(join(app, 'main.js'), `import { createFaceRecognizer, CompareResultSchema } from 'face-compare-sdk';
const fr = await createFaceRecognizer({ onProgress: (e) => console.log(e.phase) });
const [a, b] = document.querySelectorAll('img');
console.log(CompareResultSchema.parse(await fr.compareFaces(a, b)));\n`);
const out = mkdtempSync(join(tmpdir(), 'fcs-size-'));
await build({ configFile: false, root: app, logLevel: 'warn', build: { outDir: out, emptyOutDir: true, target: 'es2022' } });
// The app's own chunks; the workers are emitted next to them as files (fetched by the worker, not the page).
const appJs = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js') && !/^recognizer.*worker/.test(f)).map((f) => join(out, 'assets', f));
rmSync(app, { recursive: true, force: true });

const mainGz = appJs.reduce((s, f) => s + gz(f), 0);
const worker = join(assets, 'recognizer.worker.js');
const webgpuWorker = join(assets, 'recognizer-webgpu.worker.js');
const manifest = JSON.parse(readFileSync(join(assets, 'manifest.json'), 'utf8')) as { models: Record<string, { file: string; use?: string }> };
const startupModels = Object.values(manifest.models).filter((m) => !m.use).map((m) => join(assets, m.file));
const firstCompare = [...appJs, worker, join(assets, 'ort-wasm-simd-threaded.wasm'), ...startupModels];
const firstRaw = firstCompare.reduce((s, f) => s + raw(f), 0);
const firstGz = firstCompare.reduce((s, f) => s + gz(f), 0);
const firstBr = (await Promise.all(firstCompare.map(br))).reduce((s, n) => s + n, 0);
const modelsGz = startupModels.reduce((s, f) => s + gz(f), 0), modelsRaw = startupModels.reduce((s, f) => s + raw(f), 0);
rmSync(out, { recursive: true, force: true });

const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))[0] as {
  size: number; unpackedSize: number; files: { path: string; size: number }[];
};

const budgets = [
  ['main-thread JS (gzip)', mainGz, 40 * KB],
  ['worker JS, wasm (gzip)', gz(worker), 200 * KB],
  ['worker JS, WebGPU (gzip)', gz(webgpuWorker), 200 * KB],
  ['before first compare on wasm (brotli)', firstBr, 6 * MB],
  ['before first compare on wasm (gzip)', firstGz, 7 * MB],
] as const;
console.log('\nbudget                                   measured     budget');
let over = false;
for (const [name, value, limit] of budgets) {
  const ok = value <= limit;
  over ||= !ok;
  console.log(`${name.padEnd(40)} ${fmt(value).padStart(10)} ${('≤ ' + fmt(limit)).padStart(10)} ${ok ? 'ok' : 'OVER'}`);
}
console.log(`before first compare on wasm (raw)       ${fmt(firstRaw).padStart(10)}   (${firstCompare.length} files: app JS, worker, wasm, ${startupModels.length} models)`);
console.log(`  of which the ${startupModels.length} models                   ${fmt(modelsRaw).padStart(10)}   (${fmt(modelsGz)} gzipped)`);
console.log(`\ntarball: ${fmt(pack.size)} (unpacked ${fmt(pack.unpackedSize)}), ${pack.files.length} files`);
for (const f of [...pack.files].sort((a, b) => b.size - a.size)) console.log(`  ${fmt(f.size).padStart(10)}  ${f.path}`);
process.exit(over ? 1 : 0);
