import { readFileSync } from 'node:fs';
import { FaceError } from '../contract/errors.js';

export interface PairRow { a: string; b: string; same?: boolean }

/** Reads an `a,b[,same]` CSV (the shared data sets' pair format); `same` is 1/0, true/false or yes/no. */
export function readPairsCsv(csvPath: string): PairRow[] {
  const lines = readFileSync(csvPath, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const header = lines[0].split(',').map((h) => h.trim());
  const ia = header.indexOf('a'), ib = header.indexOf('b'), is = header.indexOf('same');
  if (ia < 0 || ib < 0) throw new FaceError('INVALID_OPTIONS', `${csvPath}: the header needs columns a,b (got ${lines[0]})`);
  return lines.slice(1).map((l) => {
    const c = l.split(',').map((v) => v.trim());
    return { a: c[ia], b: c[ib], same: is >= 0 ? c[is] === '1' || /^(true|yes)$/i.test(c[is]) : undefined };
  });
}
