// Cuts a SELECT into consecutive LIMIT/OFFSET pages so its first rows can be written while the rest is computed.
import type sparqljsTypes from 'sparqljs';
import { lazyRequire } from '../lazy.js';
import type { ParsedQuery } from './parse.js';

const sparqljsModule = lazyRequire<typeof sparqljsTypes>('sparqljs');

/** Rows of the first page. */
export const FIRST_PAGE_ROWS = 1000;
/** Each later page is this many times the one before: the skipped prefixes cost at most 1/(PAGE_GROWTH-1) of the answer again. */
export const PAGE_GROWTH = 4;

/** One page: the query text with its solutions cut to [offset, offset + limit), and how many rows it may give. */
export interface QueryPage {
  readonly text: string;
  readonly limit: number;
}

interface SliceableQuery {
  limit?: number;
  offset?: number;
  order?: unknown;
  group?: unknown;
  having?: unknown;
  where?: unknown;
  variables?: unknown;
}

/**
 * The pages of a SELECT whose rows can be computed lazily in a stable order, or undefined when it cannot be paged
 * (then it is evaluated once, as before). oxigraph evaluates a page lazily and stops at its LIMIT, so page k
 * recomputes only the rows before it; growing page sizes bound that to a third of the answer again. A query
 * whose order comes from a sort or a hash table of the engine (ORDER BY, GROUP BY, HAVING, aggregates,
 * sub-selects, `*`/`+` paths) is not paged: sorting needs every row before the first anyway, and a hash table's
 * iteration order is not promised to repeat between two evaluations. Without a LIMIT of its own the pages never
 * end: the caller stops at the first page that gives fewer rows than its `limit`.
 */
export function queryPages(query: ParsedQuery): Iterable<QueryPage> | undefined {
  if (query.form !== 'SELECT') return undefined;
  const sparqljs = sparqljsModule();
  let parsed: SliceableQuery;
  try {
    parsed = new sparqljs.Parser().parse(query.text) as SliceableQuery;
  } catch {
    return undefined;
  }
  if (parsed.order !== undefined || parsed.group !== undefined || parsed.having !== undefined) return undefined;
  if (orderFromEngine(parsed.where) || orderFromEngine(parsed.variables)) return undefined;
  const ownOffset = parsed.offset ?? 0;
  const ownLimit = parsed.limit;
  const generator = new sparqljs.Generator();
  return {
    *[Symbol.iterator](): Generator<QueryPage> {
      let start = 0;
      for (let size = FIRST_PAGE_ROWS; ownLimit === undefined || start < ownLimit; size *= PAGE_GROWTH) {
        const limit = ownLimit === undefined ? size : Math.min(size, ownLimit - start);
        const page: SliceableQuery = { ...parsed, offset: ownOffset + start, limit };
        if (page.offset === 0) delete page.offset;
        yield { text: generator.stringify(page as Parameters<typeof generator.stringify>[0]), limit };
        start += limit;
      }
    },
  };
}

/** Whether a parsed pattern holds a construct whose row order the engine takes from a sort or hash table. */
function orderFromEngine(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(orderFromEngine);
  if (typeof node !== 'object' || node === null) return false;
  const o = node as { type?: unknown; pathType?: unknown; queryType?: unknown };
  if (o.type === 'aggregate' || o.type === 'query' || o.queryType !== undefined) return true;
  if (o.type === 'path' && (o.pathType === '*' || o.pathType === '+')) return true;
  return Object.values(node).some((v) => typeof v === 'object' && v !== null && orderFromEngine(v));
}
