import type { SchemaObject } from '@nestjs/swagger';
import { AdminProblem } from '../errors/admin-problem.js';
import { editDistance } from './edit-distance.js';

export type JsonBody = Readonly<Record<string, unknown>>;

/**
 * The request body as a JSON object, or a 400 naming what is wrong. With `fields`, a member not
 * among them is refused by name (with the field it was probably meant to be): a typo such as
 * "pasword" must not quietly create a user without a password.
 */
export function jsonObject(
  body: unknown,
  fields?: readonly string[],
  member = 'a field of this request',
  refuseKnown?: (field: string) => AdminProblem | undefined,
): JsonBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AdminProblem('validation_failed', 'the body must be a JSON object');
  if (fields) {
    const unknown = Object.keys(body).find((field) => !fields.includes(field));
    if (unknown !== undefined) {
      const specific = refuseKnown?.(unknown);
      if (specific) throw specific;
      const meant = fields.find((field) => editDistance(field, unknown) <= 2);
      const hint = meant ? `; did you mean ${meant}?` : `; known fields: ${fields.join(', ')}`;
      throw new AdminProblem('validation_failed', `${unknown.slice(0, 64)} is not ${member}${hint}`, unknown.slice(0, 64));
    }
  }
  return body as JsonBody;
}

/**
 * The request body checked against the schema its OpenAPI documents: one schema, so the docs and
 * the parser cannot drift. At the top level it enforces the member names (any other is refused by
 * name), `required`, and each member's type, `enum`, `minLength`/`maxLength`, `minimum`/`maximum`
 * and `maxItems` (an array of strings holds at most 100). Nested objects are left to their own
 * parsers (policies). A null member is not checked here: it passes to the handler, which reads
 * it as absent, or as "clear" where the schema says `nullable`. With `optional`, no body at all
 * reads as `{}`; `member` names what a member is ("a sink setting") in the refusal of an unknown
 * one, and `refuse` may answer a member the resource has but this request cannot change with its
 * own refusal ("use POST …/password").
 */
export function readBody(
  schema: SchemaObject,
  body: unknown,
  {
    optional = false,
    member = 'a field of this request',
    refuse,
  }: { optional?: boolean; member?: string; refuse?: (field: string) => AdminProblem | undefined } = {},
): JsonBody {
  if (optional && (body === undefined || body === null)) return {};
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const input = jsonObject(body, Object.keys(properties), member, refuse);
  for (const field of schema.required ?? []) {
    const value = input[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
      throw new AdminProblem('validation_failed', `${field} is required`, field);
  }
  for (const [field, value] of Object.entries(input))
    if (value !== null && value !== undefined) checkMember(field, value, properties[field] ?? {});
  return input;
}

function checkMember(field: string, value: unknown, schema: SchemaObject): void {
  const refuse = (what: string): never => {
    throw new AdminProblem('validation_failed', `${field} ${what}`, field);
  };
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') refuse('must be a string');
      checkString(value as string, schema, refuse);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') refuse('must be a boolean');
      return;
    case 'integer':
    case 'number':
      checkNumber(value, schema, refuse);
      return;
    case 'array': {
      const items = (schema.items ?? {}) as SchemaObject;
      const maxItems = schema.maxItems ?? 100;
      if (items.type === 'string') {
        if (!Array.isArray(value) || value.some((item) => typeof item !== 'string') || value.length > maxItems)
          refuse('must be an array of strings');
        const refuseItem = (what: string): never => {
          throw new AdminProblem('validation_failed', `${field}: each item ${what}`, field);
        };
        for (const item of value as string[]) checkString(item, items, refuseItem);
      } else if (!Array.isArray(value) || value.length > maxItems) refuse(`must be an array of at most ${maxItems} items`);
      return;
    }
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) refuse('must be a JSON object');
      return;
    case 'null':
    case undefined:
      return;
  }
}

function checkNumber(value: unknown, schema: SchemaObject, refuse: (what: string) => never): void {
  const kind = schema.type === 'integer' ? 'an integer' : 'a number';
  const { minimum, maximum } = schema;
  const range =
    minimum !== undefined && maximum !== undefined
      ? ` from ${minimum} to ${maximum}`
      : minimum !== undefined
        ? ` of at least ${minimum}`
        : maximum !== undefined
          ? ` of at most ${maximum}`
          : '';
  const fits =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (schema.type !== 'integer' || Number.isInteger(value)) &&
    (minimum === undefined || value >= minimum) &&
    (maximum === undefined || value <= maximum);
  if (!fits) refuse(`must be ${kind}${range}`);
}

function checkString(value: string, schema: SchemaObject, refuse: (what: string) => never): void {
  if (schema.enum && !schema.enum.includes(value)) refuse(`must be one of ${schema.enum.join(', ')}`);
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) refuse(`must be at most ${schema.maxLength} characters`);
  if (schema.minLength !== undefined && length < schema.minLength)
    refuse(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`);
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
