import { AdminProblem } from '../errors/admin-problem.js';

export type JsonBody = Readonly<Record<string, unknown>>;

/** The request body as a JSON object, or a 400 naming what is wrong. */
export function jsonObject(body: unknown): JsonBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AdminProblem('validation_failed', 'the body must be a JSON object');
  return body as JsonBody;
}

export function optionalString(body: JsonBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AdminProblem('validation_failed', `${field} must be a string`, field);
  return value;
}

export function requiredString(body: JsonBody, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value.trim() === '') throw new AdminProblem('validation_failed', `${field} is required`, field);
  return value;
}

export function optionalStringArray(body: JsonBody, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string') || value.length > 100) {
    throw new AdminProblem('validation_failed', `${field} must be an array of strings`, field);
  }
  return value as string[];
}

export function optionalBoolean(body: JsonBody, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new AdminProblem('validation_failed', `${field} must be a boolean`, field);
  return value;
}

export function optionalNumber(body: JsonBody, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AdminProblem('validation_failed', `${field} must be a number`, field);
  return value;
}
