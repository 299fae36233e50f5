// @vitest-environment node
/**
 * The package as its users get it: `npm pack` once, then the tarball installed (dependencies from the
 * npm registry) into throw-away projects made here, each comparing two real photos in Chromium (or
 * Node) and validating the platform JSON with the package's own zod schema:
 *  - a Vite app, dev server and production build, with no Vite config beyond the COOP/COEP headers;
 *  - a webpack 5 app, production build, no webpack config at all;
 *  - a Vite app with `<face-capture>` (face-compare-sdk/capture) on a fake camera, captured by itself;
 *  - a static page with no bundler, from `npx face-compare-sdk assets`, also under a strict CSP;
 *  - a Node ESM script on `face-compare-sdk/node`, and the `face-compare` bins;
 *  - a type test: a consumer file compiled against dist/*.d.ts, strictest flags, skipLibCheck off.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../e2e/browser.js';
import { DEEPFACE, LFW } from '../helpers.js';
import { makeFakeCameraClip } from '../e2e/fake-camera.js';
import { serveStatic, type StaticServer } from './static-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PHOTOS = ['Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0002.jpg'].map((p) => LFW + p);
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

let work: string;
let tarball: string;
let packed: { files: { path: string }[]; size: number; unpackedSize: number };
let browser: Browser;
const cleanup: (() => Promise<void> | void)[] = [];

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], });

/** The page every browser consumer serves: same code, only the import specifier and options differ. */
function appCode(specifier: string, recognizerOptions = '{}'): string {
  return `import { createFaceRecognizer, CompareResultSchema } from '${specifier}';
async function main() {
  const phases = [];
  const threads = Number(new URLSearchParams(location.search).get('threads') ?? 1);
  const fr = await createFaceRecognizer({ ...${recognizerOptions}, numThreads: threads, onProgress: (e) => phases.push(e.phase) });
  const [a, b] = await Promise.all(['a.jpg', 'b.jpg'].map(async (f) => (await fetch(f)).blob()));
  const scan = CompareResultSchema.parse(await fr.compareFaces(a, b, { channel: 'WEB', reference: 'consumer' }));
  const info = fr.info();
  await fr.dispose();
  return { scan, backend: info.backend, threads: info.threads, isolated: crossOriginIsolated, phases: [...new Set(phases)] };
}
window.result = main().catch((e) => ({ error: String(e && e.name) + ': ' + (e && e.code) + ' ' + (e && e.message) }));
`;
}
const html = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title></head><body><script type="module" src="${script}"></script></body></html>\n`;
const copyPhotos = (dir: string) => PHOTOS.forEach((p, i) => copyFileSync(p, join(dir, i ? 'b.jpg' : 'a.jpg')));

interface PageRun {
  scan?: { compare_result: string; compare_similarity: number; reference: string };
  backend?: string; threads?: number; isolated?: boolean; phases?: string[]; error?: string;
  requests: string[];
}

/** Opens a consumer page, waits for its compare, returns it with every URL the page and its workers fetched. */
async function openApp(url: string): Promise<PageRun> {
  const context = await browser.newContext();
  const requests: string[] = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 120_000 });
    const result = (await page.evaluate(() => (window as unknown as { result: Promise<unknown> }).result)) as PageRun;
    if (result.error) console.log(`${url}: ${result.error}\n${logs.join('\n')}`);
    return { ...result, requests };
  } finally {
    await context.close();
  }
}

function expectSamePerson(r: PageRun, reference = 'consumer'): void {
  expect(r.error).toBeUndefined();
  expect(r.scan?.compare_result).toBe('Same person');
  expect(r.scan?.compare_similarity).toBeGreaterThan(0.7);
  expect(r.scan?.reference).toBe(reference);
  expect(r.backend).toBe('wasm');
  expect(r.phases).toEqual(['download', 'compile', 'warmup', 'ready']);
  // On wasm nothing of the WebGPU build, nor the lazily loaded liveness model, is fetched.
  expect(r.requests.filter((p) => /asyncify|webgpu|fr_liveness/.test(p))).toEqual([]);
}

/** Starts a long-running command (a dev or preview server) and resolves with the first URL it prints. */
function startServer(cmd: string, args: string[], cwd: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  cleanup.push(() => void proc.kill());
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      // eslint-disable-next-line no-control-regex
      const m = out.replace(/\x1b\[[0-9;]*m/g, '').match(/http:\/\/(?:127\.0\.0\.1|localhost):\d+\/?/);
      if (m) resolve({ url: m[0].endsWith('/') ? m[0] : `${m[0]}/`, proc });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`${cmd} ${args.join(' ')} printed no URL: ${out}`)), 60_000);
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fcs-consumers-'));
  // One pack for every consumer. `prepare` builds dist/ (and checks the models) first.
  const out = run('npm', ['pack', '--json', '--pack-destination', work, ...NPM_FLAGS], root);
  packed = JSON.parse(out.slice(out.indexOf('[')))[0];
  tarball = join(work, (packed as unknown as { filename: string }).filename);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 600_000);

afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('ships dist/ only: entries with .d.ts, the workers, both wasm builds and exactly the SDK models', () => {
    const files = packed.files.map((f) => f.path).sort();
    const manifest = JSON.parse(readFileSync(join(root, 'models/manifest.json'), 'utf8')) as { models: Record<string, { file: string; use?: string }> };
    const sdkModels = Object.values(manifest.models).filter((m) => m.use !== 'evaluation').map((m) => `dist/assets/${m.file}`).sort();
    expect(files.filter((f) => f.endsWith('.onnx'))).toEqual(sdkModels);
    expect(files).not.toContain('dist/assets/fr_pose.onnx');
    for (const entry of ['dist/index', 'dist/node/index', 'dist/platform/index', 'dist/store/index', 'dist/contract/index']) {
      expect(files).toContain(`${entry}.js`);
      expect(files).toContain(`${entry}.d.ts`);
    }
    for (const f of ['recognizer.worker.js', 'recognizer-webgpu.worker.js', 'face-compare-sdk.js', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.asyncify.wasm', 'manifest.json']) {
      expect(files).toContain(`dist/assets/${f}`);
    }
    expect(files.filter((f) => /^(src|workers|models|test|tools|demo|dist\/demo)\//.test(f))).toEqual([]);
    expect(rootPkg.private).toBeUndefined();
    expect(rootPkg.scripts.postinstall).toBeUndefined();
    console.log(`tarball: ${(packed.size / 1e6).toFixed(1)} MB, unpacked ${(packed.unpackedSize / 1e6).toFixed(1)} MB, ${files.length} files`);
  });
});

describe('browser consumers', () => {
  let web: string;
  beforeAll(() => {
    // One throw-away project holds the three browser apps (one install); nothing of this repo but the tarball.
    web = join(work, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'package.json'), JSON.stringify({ name: 'web-consumer', private: true, type: 'module' }));
    run('npm', ['install', tarball, `vite@${rootPkg.devDependencies.vite}`, 'webpack@^5', 'webpack-cli@^6', ...NPM_FLAGS], web);
  }, 600_000);

  it('Vite app: dev server and production build, no Vite config beyond the COOP/COEP headers', async () => {
    const app = join(web, 'vite-app');
    mkdirSync(join(app, 'public'), { recursive: true });
    writeFileSync(join(app, 'index.html'), html('/main.js'));
    writeFileSync(join(app, 'main.js'), appCode('face-compare-sdk'));
    copyPhotos(join(app, 'public'));
    writeFileSync(join(app, 'vite.config.js'), `const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export default { server: { headers }, preview: { headers } };\n`);
    const vite = join(web, 'node_modules/vite/bin/vite.js');

    const dev = await startServer(process.execPath, [vite, '--host', '127.0.0.1', '--port', '0', '--strictPort', 'false'], app);
    const devRun = await openApp(`${dev.url}?threads=2`);
    dev.proc.kill();
    expectSamePerson(devRun);
    expect(devRun.isolated).toBe(true);
    expect(devRun.threads).toBe(2);

    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: app, stdio: 'pipe' });
    const preview = await startServer(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', '0'], app);
    const prodRun = await openApp(preview.url);
    preview.proc.kill();
    expectSamePerson(prodRun);
    console.log(`Vite: dev similarity ${devRun.scan!.compare_similarity}, build ${prodRun.scan!.compare_similarity}`);
  }, 400_000);

  it('webpack 5 app: production build with no webpack config', async () => {
    const app = join(web, 'webpack-app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'src/index.js'), appCode('face-compare-sdk'));
    execFileSync(process.execPath, [join(web, 'node_modules/webpack-cli/bin/cli.js'), '--mode', 'production'], { cwd: app, stdio: 'pipe' });
    writeFileSync(join(app, 'dist/index.html'), html('./main.js'));
    copyPhotos(join(app, 'dist'));
    const server = await serveStatic(join(app, 'dist'));
    cleanup.push(() => server.close());
    const r = await openApp(`${server.url}?threads=2`);
    expectSamePerson(r);
    expect(r.threads).toBe(2);
  }, 400_000);

  it('Vite app with <face-capture> from face-compare-sdk/capture: a camera person is captured by itself', async () => {
    const app = join(web, 'capture-app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'index.html'), html('/main.js').replace('<body>', '<body><face-capture auto-capture liveness="show"></face-capture>'));
    writeFileSync(join(app, 'main.js'), `import { defineFaceCapture } from 'face-compare-sdk/capture';
defineFaceCapture();
const el = document.querySelector('face-capture');
window.result = new Promise((resolve) => {
  el.addEventListener('capture', (e) => resolve({ width: e.detail.width, type: e.detail.blob.type, size: e.detail.blob.size, liveness: e.detail.liveness, x1: e.detail.face.x1 }));
  el.addEventListener('error', (e) => resolve({ error: e.detail.code + ' ' + e.detail.message }));
});
el.start();
`);
    writeFileSync(join(app, 'vite.config.js'), `const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
export default { server: { headers }, preview: { headers } };\n`);
    const vite = join(web, 'node_modules/vite/bin/vite.js');
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: app, stdio: 'pipe' });
    const preview = await startServer(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', '0'], app);
    const camera = await makeFakeCameraClip([`${DEEPFACE}img1.jpg`]);
    const withCamera = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...camera.args] });
    try {
      const page = await withCamera.newPage();
      await page.goto(preview.url);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined);
      const r = await page.evaluate(() => (window as unknown as { result: Promise<Record<string, unknown>> }).result);
      expect(r).toMatchObject({ width: 640, type: 'image/jpeg', liveness: { threshold: expect.any(Number) } });
      expect(r.error).toBeUndefined();
      expect(await page.evaluate(() => document.querySelector('face-capture')!.shadowRoot!.querySelector('[part=hint]')!.getAttribute('aria-live'))).toBe('polite');
    } finally {
      await withCamera.close();
      preview.proc.kill();
      camera.remove();
    }
  }, 400_000);

  let assets: StaticServer;
  const staticPage = (dir: string, headers?: Record<string, string>, precompress = false) => {
    const site = join(web, dir);
    mkdirSync(site);
    // The bin copies what a page fetches; the page imports the module from that folder, no bundler.
    run('npx', ['--no-install', 'face-compare-sdk', 'assets', join(site, 'sdk'), ...(precompress ? ['--precompress'] : [])], web);
    writeFileSync(join(site, 'index.html'), html('./main.js'));
    writeFileSync(join(site, 'main.js'), appCode('./sdk/face-compare-sdk.js', "{ assetBaseUrl: new URL('./sdk/', location.href).href }"));
    copyPhotos(site);
    return serveStatic(site, headers, { precompressed: precompress });
  };

  it('static page, no bundler, from `npx face-compare-sdk assets`', async () => {
    assets = await staticPage('static-site');
    cleanup.push(() => assets.close());
    const r = await openApp(`${assets.url}?threads=2`);
    expectSamePerson(r);
    expect(r.requests).toContain('/sdk/recognizer.worker.js');
    expect(r.requests).toContain('/sdk/ort-wasm-simd-threaded.wasm');
    expect(r.requests.filter((p) => p.endsWith('.onnx')).sort()).toEqual(['/sdk/fr_detect.onnx', '/sdk/fr_eye.onnx', '/sdk/fr_feature.onnx', '/sdk/fr_landmark.onnx']);
    console.log(`static page: ${assets.requests.length} requests, ${(assets.bytes() / 1e6).toFixed(2)} MB served (uncompressed, two photos included) up to the first compare`);
  }, 300_000);

  it('`assets --precompress`: a .br and a .gz beside each file, the same bytes once decoded; served as they are, the page compares', async () => {
    const server = await staticPage('precompressed-site', undefined, true);
    cleanup.push(() => server.close());
    const sdk = join(web, 'precompressed-site/sdk');
    const manifest = JSON.parse(readFileSync(join(sdk, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    const files = [...Object.keys(manifest.files), 'manifest.json'];
    expect(files).toContain('ort-wasm-simd-threaded.wasm');
    let raw = 0, br = 0, gz = 0;
    for (const f of files) {
      const data = readFileSync(join(sdk, f));
      const [b, g] = [readFileSync(join(sdk, `${f}.br`)), readFileSync(join(sdk, `${f}.gz`))];
      expect(brotliDecompressSync(b).equals(data), `${f}.br`).toBe(true);
      expect(gunzipSync(g).equals(data), `${f}.gz`).toBe(true);
      raw += data.length; br += b.length; gz += g.length;
    }
    expect(readdirSync(sdk).length).toBe(3 * files.length);
    const r = await openApp(`${server.url}?threads=2`);
    expectSamePerson(r);
    // Every SDK file came as its precompressed copy (br where Chromium accepts it, else gz), with the
    // original type: the wasm still application/wasm, for streaming compilation.
    const sent = [...server.sent.entries()].filter(([p]) => p.startsWith('/sdk/'));
    expect(sent.length).toBeGreaterThanOrEqual(7);
    expect(sent.filter(([, s]) => s.encoding === 'identity').map(([p]) => p)).toEqual([]);
    expect(server.sent.get('/sdk/ort-wasm-simd-threaded.wasm')?.type).toBe('application/wasm');
    const wasm = server.sent.get('/sdk/ort-wasm-simd-threaded.wasm')!.bytes;
    expect(wasm).toBeLessThan(readFileSync(join(sdk, 'ort-wasm-simd-threaded.wasm')).length / 3);
    console.log(`precompressed assets: ${(raw / 1e6).toFixed(1)} MB → .br ${(br / 1e6).toFixed(1)} MB, .gz ${(gz / 1e6).toFixed(1)} MB; the page got ${(sent.reduce((s, [, x]) => s + x.bytes, 0) / 1e6).toFixed(2)} MB of SDK files up to the first compare (${[...new Set(sent.map(([, x]) => x.encoding))].join(', ')}; wasm ${(wasm / 1e6).toFixed(2)} MB)`);
  }, 900_000);

  it('static page under a strict CSP: no blob workers, no eval; the worker starts from its URL', async () => {
    const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; object-src 'none'; base-uri 'none'";
    const server = await staticPage('csp-site', { 'Content-Security-Policy': csp });
    cleanup.push(() => server.close());
    const r = await openApp(server.url);
    expectSamePerson(r);
  }, 300_000);
});

/** Every package installed under `dir`/node_modules (nested ones too), by folder. */
function installedPackages(dir: string): { path: string; pkg: { name: string; version: string; scripts?: Record<string, string> } }[] {
  const out: ReturnType<typeof installedPackages> = [];
  const walk = (nm: string) => {
    if (!existsSync(nm)) return;
    for (const e of readdirSync(nm, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const dirs = e.name.startsWith('@') ? readdirSync(join(nm, e.name), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(nm, e.name, d.name)) : [join(nm, e.name)];
      for (const d of dirs) {
        if (existsSync(join(d, 'package.json'))) out.push({ path: d, pkg: JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) });
        walk(join(d, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return out;
}

/** Bytes of the files under `dir` (symlinks not followed), as `du --apparent-size` counts them. */
function treeBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += treeBytes(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

/**
 * The install scripts npm would run for a package: preinstall, install, postinstall, and the
 * implicit `node-gyp rebuild` of a package with a binding.gyp and no install script of its own.
 */
function installScripts(p: { path: string; pkg: { scripts?: Record<string, string> } }): string[] {
  const scripts = Object.entries(p.pkg.scripts ?? {}).filter(([k]) => ['preinstall', 'install', 'postinstall'].includes(k)).map(([k, v]) => `${k}: ${v}`);
  if (existsSync(join(p.path, 'binding.gyp')) && !p.pkg.scripts?.install && !p.pkg.scripts?.preinstall) scripts.push('install: node-gyp rebuild (implicit, binding.gyp)');
  return scripts;
}

/**
 * The one install script a consumer's tree still holds, reviewed (docs/package.md, "Install scripts"):
 * protobufjs, a dependency of onnxruntime-web, whose postinstall only reads package.json files and
 * may print a version-scheme warning; no network, no file written. Pinned by the script's sha256, so
 * a changed script, or any other package with an install script, fails the test.
 */
const REVIEWED_SCRIPTS: Record<string, { script: string; file: string; sha256: string }> = {
  protobufjs: { script: 'postinstall: node scripts/postinstall', file: 'scripts/postinstall.js', sha256: '5af8463b97ee8e309b4a2111f9479bacdf0c180de0ca0155527679b1fc6d9e6c' },
};

describe('Node consumer', () => {
  let app: string;
  let installLog: string;
  beforeAll(() => {
    // An empty folder and the tarball alone: every runtime dependency (sharp included) is declared.
    app = join(work, 'node');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'node-consumer', private: true, type: 'module' }));
    // --foreground-scripts: npm prints every lifecycle script it runs (`> pkg@v postinstall`).
    installLog = execFileSync('npm', ['install', tarball, ...NPM_FLAGS, '--loglevel=notice', '--foreground-scripts'], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }, 600_000);

  it('an empty folder gets a lean install: no install script but the reviewed one, nothing from outside the npm registry, node_modules ≤ 250 MB', () => {
    const packages = installedPackages(app);
    expect(packages.map((p) => p.pkg.name)).toContain('sharp');
    // onnxruntime-node is an optional peer: never installed for the app (nor its CUDA download).
    expect(packages.map((p) => p.pkg.name)).not.toContain('onnxruntime-node');
    const withScripts = packages.map((p) => ({ ...p, scripts: installScripts(p) })).filter((p) => p.scripts.length > 0);
    for (const p of withScripts) {
      const reviewed = REVIEWED_SCRIPTS[p.pkg.name];
      expect(reviewed, `${p.pkg.name}@${p.pkg.version} has install scripts: ${p.scripts.join('; ')}`).toBeDefined();
      expect(p.scripts).toEqual([reviewed.script]);
      expect(createHash('sha256').update(readFileSync(join(p.path, reviewed.file))).digest('hex'), `${p.pkg.name}'s ${reviewed.file} changed: review it again`).toBe(reviewed.sha256);
    }
    // What npm says it ran agrees with the tree: only the reviewed scripts (a regression shows up in either).
    const ran = [...installLog.matchAll(/^> (@?[^@\s]+)@\S+ (preinstall|install|postinstall)$/gm)].map((m) => m[1]);
    expect(ran.filter((n) => !(n in REVIEWED_SCRIPTS))).toEqual([]);
    // sharp brings its prebuilt libvips as platform packages from the registry, no script.
    expect(packages.find((p) => p.pkg.name === 'sharp')!.pkg.scripts?.install).toBeUndefined();
    expect(packages.some((p) => p.pkg.name.startsWith('@img/sharp-'))).toBe(true);

    // Every package came from the registry (no git, no URL tarball, no link): a registry tarball with
    // its sha512 integrity, `resolved` on the registry (or left out of the lockfile, which npm does
    // only for registry tarballs under omit-lockfile-registry-resolved). Only the app's own tarball is a file.
    const registry = execFileSync('npm', ['config', 'get', 'registry'], { cwd: app, encoding: 'utf8' }).trim().replace(/\/?$/, '/');
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; integrity?: string; link?: boolean }> };
    const entries = Object.entries(lock.packages).filter(([k]) => k !== '' && k !== 'node_modules/face-compare-sdk');
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.filter(([, v]) => v.link || !v.integrity?.startsWith('sha512-') || !(v.resolved === undefined || v.resolved.startsWith(registry))).map(([k, v]) => `${k} ${v.resolved}`)).toEqual([]);
    expect(lock.packages['node_modules/face-compare-sdk']?.resolved).toMatch(/^file:/);

    const bytes = treeBytes(join(app, 'node_modules'));
    const biggest = packages.filter((p) => !p.path.includes('node_modules/face-compare-sdk/node_modules'))
      .map((p) => [p.pkg.name, treeBytes(p.path)] as const).sort((a, b) => b[1] - a[1]).slice(0, 4);
    console.log(`node consumer: node_modules ${(bytes / 1e6).toFixed(1)} MB, ${packages.length} packages (largest: ${biggest.map(([n, b]) => `${n} ${(b / 1e6).toFixed(1)} MB`).join(', ')}); install scripts: ${withScripts.map((p) => `${p.pkg.name} ${p.scripts.join(', ')}`).join('; ') || 'none'}`);
    expect(bytes).toBeLessThanOrEqual(250e6);
  });

  it('imports face-compare-sdk/node and compares two photos', () => {
    writeFileSync(join(app, 'main.mjs'), `import { createFaceRecognizer } from 'face-compare-sdk/node';
import { CompareResultSchema } from 'face-compare-sdk/schema';
const fr = await createFaceRecognizer();
const scan = CompareResultSchema.parse(await fr.compareFaces(process.argv[2], process.argv[3], { channel: 'OTHER', reference: 'node' }));
await fr.dispose();
console.log(JSON.stringify(scan));
`);
    const scan = JSON.parse(run(process.execPath, ['main.mjs', ...PHOTOS], app));
    expect(scan.compare_result).toBe('Same person');
    expect(scan.reference).toBe('node');
  }, 120_000);

  it('the bins: face-compare compare, and face-compare-sdk forwards to it', () => {
    for (const bin of ['face-compare', 'face-compare-sdk']) {
      const scan = JSON.parse(run('npx', ['--no-install', bin, 'compare', ...PHOTOS, '--reference', bin], app));
      expect(scan.compare_result).toBe('Same person');
      expect(scan.reference).toBe(bin);
    }
  }, 120_000);
});

describe('types', () => {
  const STRICTEST = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true };
  /** tsc's output on one consumer file and tsconfig ('' when it compiles). */
  const compile = (app: string, file: string, compilerOptions: Record<string, unknown>) => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', ...compilerOptions, ...STRICTEST }, files: [file] }));
    try {
      run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
      return '';
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? e);
    }
  };

  it('consumer files compile against dist/*.d.ts: strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck off', () => {
    const app = join(work, 'types');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'types-consumer', private: true, type: 'module' }));
    cpSync(join(root, 'test/package/consumer-types.ts'), join(app, 'consumer.ts'));
    cpSync(join(root, 'test/package/consumer-browser-types.ts'), join(app, 'browser.ts'));
    run('npm', ['install', tarball, `typescript@${rootPkg.devDependencies.typescript}`, `@types/node@${rootPkg.devDependencies['@types/node']}`, ...NPM_FLAGS], app);
    // Every entry, Node's module resolution (exports + types conditions).
    expect(compile(app, 'consumer.ts', { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: ['node'] })).toBe('');
    // A browser app: bundler resolution, no Node types at all.
    expect(compile(app, 'browser.ts', { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] })).toBe('');
  }, 300_000);
});
