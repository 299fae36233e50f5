/** In-memory scan store of the test/dev platform server. Records are kept as raw JSON objects so a
 * test can plant a contract-breaking record (`store.scans.set(id, { compareSimilarity: 'high' })`). */
import { randomUUID } from 'node:crypto';
import { HttpError } from './http-util.js';

export type ScanRecord = Record<string, unknown>;

const SORTABLE = new Set([
  'id', 'companyId', 'createdDate', 'updatedDate', 'createdById', 'updatedById',
  'elapsedTime', 'compareResult', 'compareSimilarity', 'salesChannel',
]);

export interface SortKey {
  property: string;
  direction: 'asc' | 'desc';
}

/** Spring's `sort=prop[,prop…][,asc|desc]`, repeatable. */
export function parseSort(values: string[]): SortKey[] {
  const keys: SortKey[] = [];
  for (const v of values) {
    const parts = v.split(',').map((s) => s.trim()).filter(Boolean);
    let direction: 'asc' | 'desc' = 'asc';
    const last = parts[parts.length - 1]?.toLowerCase();
    if (last === 'asc' || last === 'desc') {
      direction = last;
      parts.pop();
    }
    for (const property of parts) {
      if (!SORTABLE.has(property)) throw new HttpError(400, `No property '${property}' found for type 'FaceRecognition'`);
      keys.push({ property, direction });
    }
  }
  return keys;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

export class ScanStore {
  /** id → record, in insertion order. */
  readonly scans = new Map<string, ScanRecord>();

  get(id: string): ScanRecord | undefined {
    return this.scans.get(id.toLowerCase());
  }

  /** PUT semantics: replace (or create) the record; server-owned fields are filled in. */
  put(id: string, entity: ScanRecord, userId: string, companyId: string): { created: boolean; record: ScanRecord } {
    const key = id.toLowerCase();
    const prev = this.scans.get(key);
    const now = new Date().toISOString();
    const record: ScanRecord = {
      ...entity,
      id: key,
      companyId: entity.companyId ?? prev?.companyId ?? companyId,
      createdDate: prev?.createdDate ?? entity.createdDate ?? now,
      createdById: prev?.createdById ?? entity.createdById ?? userId,
      updatedDate: now,
      updatedById: userId,
    };
    this.scans.set(key, record);
    return { created: prev === undefined, record };
  }

  /** Insert as is (compare_face results, seeding). */
  insert(record: ScanRecord): ScanRecord {
    const id = typeof record.id === 'string' ? record.id.toLowerCase() : randomUUID();
    const r = { ...record, id };
    this.scans.set(id, r);
    return r;
  }

  sorted(sort: SortKey[]): ScanRecord[] {
    const all = [...this.scans.values()];
    if (sort.length === 0) return all;
    return all
      .map((r, i) => ({ r, i }))
      .sort((x, y) => {
        for (const k of sort) {
          const c = compare(x.r[k.property], y.r[k.property]);
          if (c !== 0) return k.direction === 'asc' ? c : -c;
        }
        return x.i - y.i;
      })
      .map((x) => x.r);
  }

  /** Fill the store with `n` plausible scans (dev server, tests). */
  seed(n: number, companyId: string): ScanRecord[] {
    const out: ScanRecord[] = [];
    const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);
    for (let i = 0; i < n; i++) {
      const similarity = Math.round(((i * 37) % 100) / 100 * 1000) / 1000;
      out.push(
        this.insert({
          id: randomUUID(),
          companyId,
          createdDate: new Date(t0 + i * 60_000).toISOString(),
          elapsedTime: 0.2 + (i % 7) * 0.05,
          compareResult: similarity >= 0.5 ? 'Same person' : 'Different person',
          compareSimilarity: similarity,
          salesChannel: (['WEB', 'MOBILE', 'OTHER'] as const)[i % 3],
        }),
      );
    }
    return out;
  }

  clear(): void {
    this.scans.clear();
  }
}
