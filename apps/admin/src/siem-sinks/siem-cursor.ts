import { AdminProblem } from '../errors/admin-problem.js';

/** A position in a list ordered by (created_at, id); the cursor text of the admin API's pagination. */
export interface CreatedPosition {
  readonly at: Date;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function positionKey(row: { createdAt: Date; id: string }): string {
  return `${row.createdAt.toISOString()}|${row.id}`;
}

export function parsePosition(key: string | null): CreatedPosition | null {
  if (key === null) return null;
  const [at, id, ...rest] = key.split('|');
  const date = new Date(at ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || Number.isNaN(date.getTime()))
    throw new AdminProblem('validation_failed', 'cursor is not valid', 'cursor');
  return { at: date, id };
}

/** Rows after `position` in (created_at to the millisecond, id) order: what a Date-carrying cursor can express. */
export function after<T extends { createdAt: Date; id: string }>(rows: readonly T[], position: CreatedPosition | null): T[] {
  const sorted = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compare(a.id, b.id));
  if (!position) return sorted;
  return sorted.filter((row) => {
    const delta = row.createdAt.getTime() - position.at.getTime();
    return delta > 0 || (delta === 0 && compare(row.id, position.id) > 0);
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
