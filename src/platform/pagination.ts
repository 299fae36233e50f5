/** Page request/response mapping. Spring Data by default; a caller may plug in another shape. */
import { SpringPageSchema } from './schemas.js';

export interface PageRequest {
  /** 0-based page index. */
  page: number;
  size: number;
  /** Spring style `property,direction`, e.g. `createdDate,desc`; several for multi-key sorts. */
  sort?: string | readonly string[];
}

/** A page as the adapter maps it; `items` are validated by the client afterwards. */
export interface RawPage {
  items: unknown[];
  /** Where the items sit in the body, for error paths (e.g. `['content']`). */
  itemsPath?: PropertyKey[];
  page: number;
  size: number;
  totalElements?: number;
  totalPages?: number;
  hasNext: boolean;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  totalElements?: number;
  totalPages?: number;
  hasNext: boolean;
}

export interface PaginationAdapter {
  /** Query parameters for one page. */
  toQuery(req: PageRequest): Array<[string, string]>;
  /**
   * Validate the body and map it. Validate with zod (`schema.parse(body)`): a thrown `ZodError`
   * becomes a PLATFORM_SCHEMA error with the offending path.
   */
  fromResponse(body: unknown, req: PageRequest): RawPage;
}

function sortParams(sort: PageRequest['sort']): Array<[string, string]> {
  if (sort === undefined) return [];
  const list = typeof sort === 'string' ? [sort] : sort;
  return list.map((s) => ['sort', s] as [string, string]);
}

/** `?page=&size=&sort=` → `{ content, totalElements, totalPages, number, size }`. */
export const springPagination: PaginationAdapter = {
  toQuery(req) {
    return [['page', String(req.page)], ['size', String(req.size)], ...sortParams(req.sort)];
  },
  fromResponse(body) {
    const p = SpringPageSchema.parse(body);
    return {
      items: p.content,
      itemsPath: ['content'],
      page: p.number,
      size: p.size,
      totalElements: p.totalElements,
      totalPages: p.totalPages,
      hasNext: p.last !== undefined ? !p.last : p.number + 1 < p.totalPages,
    };
  },
};
