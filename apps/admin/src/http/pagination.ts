import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { AdminProblem } from '../errors/admin-problem.js';

interface PageRequest {
  readonly limit: number;
  /** The sort key of the last item of the previous page. */
  readonly after: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

/** Opaque cursors: base64url of the last sort key; `limit` 1-100, default 20. */
function parsePageRequest(query: Record<string, unknown>): PageRequest {
  const rawLimit = query['limit'];
  const limit = rawLimit === undefined ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new AdminProblem('validation_failed', 'limit must be an integer from 1 to 100', 'limit');
  const cursor = query['cursor'];
  if (cursor === undefined || cursor === '') return { limit, after: null };
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(cursor))
    throw new AdminProblem('validation_failed', 'cursor is not valid', 'cursor');
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  // Cursors are ours, so one that decodes to a control character (NUL), to bytes that are not UTF-8
  // (U+FFFD) or to nothing was made by hand: refused here, before it reaches a query as a 500.
  if (after === '' || [...after].some(unfitForCursor)) throw new AdminProblem('validation_failed', 'cursor is not valid', 'cursor');
  return { limit, after };
}

/** Fetches one more row than asked to know whether a next page exists. */
function toPage<T, R>(rows: readonly T[], request: PageRequest, keyOf: (row: T) => string, present: (row: T) => R): Page<R> {
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  return {
    items: items.map(present),
    next_cursor: rows.length > request.limit && last ? Buffer.from(keyOf(last)).toString('base64url') : null,
  };
}

/**
 * One page of a list: the query's `limit` and `cursor` parsed (400 when bad), `fetch` asked for
 * the rows after the cursor (one more than the limit, to know whether a next page exists), and
 * the page presented with the cursor of its last row.
 */
export async function pageOf<T, R>(
  query: Record<string, unknown>,
  fetch: (after: string | null, limit: number) => Promise<readonly T[]>,
  keyOf: (row: T) => string,
  present: (row: T) => R,
): Promise<Page<R>> {
  const request = parsePageRequest(query);
  return toPage(await fetch(request.after, request.limit + 1), request, keyOf, present);
}

/** OpenAPI of a paged list's query parameters. */
export function Paginated(): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, description: 'items per page, 1 to 100 (default 20)' }),
    ApiQuery({ name: 'cursor', required: false, description: "the previous page's next_cursor" }),
  );
}

function unfitForCursor(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f || code === 0xfffd;
}
