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
