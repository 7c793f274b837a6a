import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminProblem } from '../errors/admin-problem.js';
import { pageOf } from './pagination.js';

const ROWS = ['a', 'b', 'c', 'd', 'e'];
const cursorOf = (key: string) => Buffer.from(key).toString('base64url');

/** The rows after `after` in key order, at most `limit`, and what it was asked. */
function store() {
  const asked: { after: string | null; limit: number }[] = [];
  return {
    asked,
    fetch: (after: string | null, limit: number) => {
      asked.push({ after, limit });
      return Promise.resolve(ROWS.filter((row) => after === null || row > after).slice(0, limit));
    },
  };
}

const invalid = (field: string) => (error: unknown) =>
  error instanceof AdminProblem && error.code === 'validation_failed' && error.field === field;

describe('pageOf', () => {
  it('asks for one row more than the limit and gives the cursor of the last row shown', async () => {
    const rows = store();
    const page = await pageOf(
      { limit: '2' },
      rows.fetch,
      (row) => row,
      (row) => row.toUpperCase(),
    );
    assert.deepEqual(rows.asked, [{ after: null, limit: 3 }]);
    assert.deepEqual(page, { items: ['A', 'B'], next_cursor: cursorOf('b') });
  });

  it('walks the whole list page by page, the last page without a cursor', async () => {
    const rows = store();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: readonly string[]; next_cursor: string | null } = await pageOf(
        { limit: '2', ...(cursor ? { cursor } : {}) },
        rows.fetch,
        (row) => row,
        (row) => row,
      );
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, ROWS);
    assert.equal(rows.asked.length, 3);
  });

  it('defaults to 20 and refuses a limit outside 1..100 or a forged cursor, before fetching', async () => {
    const rows = store();
    await pageOf(
      {},
      rows.fetch,
      (row) => row,
      (row) => row,
    );
    assert.equal(rows.asked[0]?.limit, 21);
    for (const limit of ['0', '101', '2.5', 'x']) await assert.rejects(pageOf({ limit }, rows.fetch, String, String), invalid('limit'));
    for (const cursor of ['not base64!', Buffer.from('\u0000').toString('base64url'), ['a', 'b']])
      await assert.rejects(pageOf({ cursor }, rows.fetch, String, String), invalid('cursor'));
    assert.equal(rows.asked.length, 1, 'nothing fetched for a refused page');
  });
});
