// @vitest-environment node
/**
 * The layers of src/, bottom to top: contract → input → pipeline → runtime → engine → browser, node
 * → platform, store → the entries. A module imports only from its own folder and from the folders
 * its layer may import (the table below, which each folder's README states as "May import:").
 * An import the other way fails here, with the file and the specifier.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** What each folder may import besides itself. `entries`: the files at the top of src/. */
const MAY_IMPORT: Record<string, string[]> = {
  contract: [],
  input: ['contract'],
  pipeline: ['contract'],
  runtime: ['contract'],
  engine: ['contract', 'input', 'pipeline', 'runtime'],
  browser: ['contract', 'input', 'pipeline', 'runtime', 'engine'],
  node: ['contract', 'input', 'pipeline', 'runtime', 'engine'],
  platform: ['contract'],
  store: ['contract', 'platform'],
  capture: ['contract', 'browser'],
  entries: ['contract', 'input', 'pipeline', 'runtime', 'engine', 'browser', 'node', 'platform', 'store', 'capture'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string) => {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0]! : 'entries';
};

/** Relative specifiers of every static import, re-export and dynamic import() in `text`. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out.filter((s) => s.startsWith('.'));
}

describe('src/ layers', () => {
  const files = sources(SRC);

  it('finds the layers it checks (a moved folder must be added to the table)', () => {
    const found = new Set(files.map(layerOf));
    expect([...found].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('no import goes against the layer order', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(SRC)) continue; // models/manifest.json, outside src/
        checked++;
        const to = layerOf(target);
        if (to !== from && !MAY_IMPORT[from]!.includes(to)) wrong.push(`${relative(SRC, file)} imports ${spec} (${from} → ${to})`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it("each folder's README says what it may import, as the table does", () => {
    for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
      if (layer === 'entries') continue;
      const readme = readFileSync(join(SRC, layer, 'README.md'), 'utf8');
      const line = readme.split('\n').find((l) => l.startsWith('May import:'));
      expect(line, `src/${layer}/README.md has no "May import:" line`).toBeDefined();
      const named = [...line!.matchAll(/`([a-z]+)\/`/g)].map((m) => m[1]);
      expect(named.sort(), `src/${layer}/README.md`).toEqual([...allowed].sort());
    }
  });
});
