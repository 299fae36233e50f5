/**
 * vitest globalSetup: the end-to-end and package tests run the built package (dist/), as apps do.
 * Rebuilds it (npm run build, ~10 s) when any input is newer than the last build, so a test never
 * runs stale output; otherwise does nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const INPUTS = ['src', 'workers', 'models/manifest.json', 'vite.lib.config.ts', 'scripts/build.ts', 'tsconfig.build.json', 'package.json'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

export function packageIsStale(): boolean {
  const stamp = join(root, 'dist/.build-stamp');
  if (!existsSync(stamp)) return true;
  return Math.max(...INPUTS.map((p) => newest(join(root, p)))) > statSync(stamp).mtimeMs;
}

/** One build at a time across concurrent test runs (a lock directory; stale after 5 minutes). */
export default async function setup(): Promise<void> {
  const lock = join(root, '.build-lock');
  for (const t0 = Date.now(); ;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - t0 > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (packageIsStale()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
