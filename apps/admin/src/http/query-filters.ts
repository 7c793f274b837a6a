import { AdminProblem } from '../errors/admin-problem.js';

/** A list route's query string as Fastify parses it: a repeated parameter arrives as an array. */
export type ListQuery = Readonly<Record<string, unknown>>;

/**
 * One filter value, or undefined when absent or empty; a repeated parameter or an overlong value is a
 * 400 naming it. Parameters no route reads are ignored, as they always were.
 */
export function queryText(query: ListQuery, field: string, maxLength = 200): string | undefined {
  const value = query[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AdminProblem('validation_failed', `${field} must be given once`, field);
  if (value.length > maxLength) throw new AdminProblem('validation_failed', `${field} must be at most ${maxLength} characters`, field);
  return value;
}

export function queryEnum<T extends string>(query: ListQuery, field: string, allowed: readonly T[]): T | undefined {
  const value = queryText(query, field);
  if (value !== undefined && !(allowed as readonly string[]).includes(value))
    throw new AdminProblem('validation_failed', `${field} must be one of ${allowed.join(', ')}`, field);
  return value as T | undefined;
}

/** Only the literals `true` and `false`: `1`, `yes` or `TRUE` are refused rather than guessed at. */
export function queryBoolean(query: ListQuery, field: string): boolean | undefined {
  const value = queryEnum(query, field, ['true', 'false']);
  return value === undefined ? undefined : value === 'true';
}
