import { AdminProblem } from '../errors/admin-problem.js';
import { editDistance } from './edit-distance.js';

export type JsonBody = Readonly<Record<string, unknown>>;

/**
 * The request body as a JSON object, or a 400 naming what is wrong. With `fields`, a member not
 * among them is refused by name (with the field it was probably meant to be): a typo such as
 * "pasword" must not quietly create a user without a password.
 */
export function jsonObject(body: unknown, fields?: readonly string[]): JsonBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AdminProblem('validation_failed', 'the body must be a JSON object');
  if (fields) {
    const unknown = Object.keys(body).find((field) => !fields.includes(field));
    if (unknown !== undefined) {
      const meant = fields.find((field) => editDistance(field, unknown) <= 2);
      const hint = meant ? `; did you mean ${meant}?` : `; known fields: ${fields.join(', ')}`;
      throw new AdminProblem('validation_failed', `${unknown.slice(0, 64)} is not a field of this request${hint}`, unknown.slice(0, 64));
    }
  }
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
