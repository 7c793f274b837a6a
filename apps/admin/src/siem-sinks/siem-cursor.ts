import { AdminProblem } from '../errors/admin-problem.js';

/** A position in a list ordered by (created_at, id); the cursor text of the admin API's pagination. */
export interface CreatedPosition {
  readonly at: Date;
  readonly id: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function positionKey(row: { createdAt: Date; id: string }): string {
  return `${row.createdAt.toISOString()}|${row.id}`;
}

export function parsePosition(key: string | null): CreatedPosition | null {
  if (key === null) return null;
  const [at, id, ...rest] = key.split('|');
  const date = new Date(at ?? '');
  // Exactly what positionKey writes: a year past 9999 or before 1 would fail in the database.
  if (rest.length > 0 || !id || !UUID.test(id) || !ISO_INSTANT.test(at ?? '') || Number.isNaN(date.getTime()))
    throw new AdminProblem('validation_failed', 'cursor is not valid', 'cursor');
  return { at: date, id };
}
