// @vitest-environment node
/**
 * The public surface, counted from the built declarations (dist/*.d.ts) as a consumer's TypeScript
 * sees them: every name each entry exports. The list is a snapshot (exports.snap.txt): any change to
 * the surface shows as a reviewed diff (`npx vitest run test/package/exports.test.ts -u` to accept
 * one, with its line in docs/package.md "What changed"). Each entry stays one screen long.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = {
  '.': { dts: 'dist/index.d.ts', most: 40 },
  './node': { dts: 'dist/node/index.d.ts', most: 40 },
  './platform': { dts: 'dist/platform/index.d.ts', most: 30 },
  './store': { dts: 'dist/store/index.d.ts', most: 15 },
  './schema': { dts: 'dist/contract/index.d.ts', most: 30 },
  './capture': { dts: 'dist/capture/index.d.ts', most: 30 },
} as const;

function exportedNames(): Record<string, string[]> {
  const files = Object.values(ENTRIES).map((e) => root + e.dts);
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
  const checker = program.getTypeChecker();
  return Object.fromEntries(Object.entries(ENTRIES).map(([entry, { dts }]) => {
    const sf = program.getSourceFile(root + dts);
    if (!sf) throw new Error(`${dts} is missing: npm run build`);
    const symbol = checker.getSymbolAtLocation(sf)!;
    return [entry, checker.getExportsOfModule(symbol).map((s) => s.name).sort()];
  }));
}

describe('public surface', () => {
  const names = exportedNames();

  it('matches the reviewed list of names per entry', async () => {
    const text = Object.entries(names).map(([entry, list]) => `${entry} (${list.length})\n${list.map((n) => `  ${n}`).join('\n')}`).join('\n\n');
    await expect(`${text}\n`).toMatchFileSnapshot('./exports.snap.txt');
  });

  it('each entry is one screen long', () => {
    for (const [entry, { most }] of Object.entries(ENTRIES)) expect(names[entry]!.length, entry).toBeLessThanOrEqual(most);
  });

  it('the browser and Node entries do not carry the REST client or the store (they have their own entries)', () => {
    for (const entry of ['.', './node']) {
      for (const name of ['createPlatformClient', 'openScanStore', 'createScanSync', 'PlatformError']) expect(names[entry]).not.toContain(name);
    }
    // Both carry the whole contract.
    for (const name of names['./schema']!) {
      expect(names['.']).toContain(name);
      expect(names['./node']).toContain(name);
    }
  });
});
