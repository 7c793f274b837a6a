import { Ajv, type ValidateFunction } from 'ajv';
import { OAuthError, type OAuthErrorOptions } from '../errors/oauth-error.js';

/** RFC 9396 §5: the authorization_details parameter is malformed, names an unknown type, or fails its type's schema. */
export class InvalidAuthorizationDetails extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_authorization_details', status: 400, description: 'The authorization details are invalid', redirectable: true },
      options,
    );
  }
}

/** RFC 9396 §2: one object of the array; `type` is required, the rest is the type's own. */
export type AuthorizationDetail = { readonly type: string } & Readonly<Record<string, unknown>>;

/** The tenant's registered types, each with the JSON Schema its objects must satisfy. */
export type AuthorizationDetailTypes = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Bounds: the parameter travels in URLs, request objects and every access token. */
export const MAX_AUTHORIZATION_DETAILS_BYTES = 8 * 1024;
export const MAX_AUTHORIZATION_DETAILS = 10;
export const MAX_AUTHORIZATION_DETAIL_TYPES = 50;
const TYPE_NAME = /^[\w.:/-]{1,128}$/;

/** The parameter's JSON (RFC 9396 §2): a non-empty array of objects with a string `type`, within the bounds. */
export function parseAuthorizationDetails(raw: string): AuthorizationDetail[] {
  if (Buffer.byteLength(raw) > MAX_AUTHORIZATION_DETAILS_BYTES)
    throw new InvalidAuthorizationDetails({ hint: `authorization_details is larger than ${MAX_AUTHORIZATION_DETAILS_BYTES} bytes` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidAuthorizationDetails({ hint: 'authorization_details is not JSON' });
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new InvalidAuthorizationDetails({ hint: 'authorization_details must be a non-empty JSON array' });
  if (parsed.length > MAX_AUTHORIZATION_DETAILS)
    throw new InvalidAuthorizationDetails({ hint: `at most ${MAX_AUTHORIZATION_DETAILS} authorization details` });
  return parsed.map((detail: unknown) => {
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      throw new InvalidAuthorizationDetails({ hint: 'each authorization detail must be an object' });
    const type = (detail as Record<string, unknown>)['type'];
    if (typeof type !== 'string' || type === '') throw new InvalidAuthorizationDetails({ hint: 'each authorization detail needs a type' });
    return detail as AuthorizationDetail;
  });
}

/**
 * Checks authorization details against a tenant's registered types (RFC 9396 §5): an unknown type, a
 * type the client may not use, or an object its schema refuses is `invalid_authorization_details`.
 * Compiled schemas are kept per registration, so a request costs the validation only.
 */
export class AuthorizationDetailsValidator {
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: false, strict: false });

  constructor(private readonly types: AuthorizationDetailTypes) {}

  check(details: readonly AuthorizationDetail[], allowedTypes?: readonly string[]): void {
    for (const detail of details) {
      const type: string = detail.type;
      const registered = new Map(Object.entries(this.types));
      const schema = registered.get(type);
      if (!schema) throw new InvalidAuthorizationDetails({ hint: `unknown authorization details type ${type.slice(0, 64)}` });
      if (allowedTypes && !allowedTypes.includes(type))
        throw new InvalidAuthorizationDetails({ hint: `the client may not request authorization details of type ${type}` });
      if (!this.validator(type, schema)(detail))
        throw new InvalidAuthorizationDetails({ hint: `an authorization detail of type ${type} does not match its schema` });
    }
  }

  private validator(type: string, schema: Readonly<Record<string, unknown>>): ValidateFunction {
    let validate = this.compiled.get(type);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(type, validate);
    }
    return validate;
  }
}

/** The types an admin registers: names bounded, each schema one that compiles. The first problem, or null. */
export function authorizationDetailTypesProblem(types: unknown): { field: string; message: string } | null {
  if (typeof types !== 'object' || types === null || Array.isArray(types))
    return { field: 'authorization_details_types', message: 'must be an object of type name to JSON Schema' };
  const entries = Object.entries(types as Record<string, unknown>);
  if (entries.length > MAX_AUTHORIZATION_DETAIL_TYPES)
    return { field: 'authorization_details_types', message: `at most ${MAX_AUTHORIZATION_DETAIL_TYPES} types` };
  if (JSON.stringify(types).length > 64 * 1024) return { field: 'authorization_details_types', message: 'the schemas may total 64 KiB' };
  const ajv = new Ajv({ strict: false });
  for (const [name, schema] of entries) {
    const field = `authorization_details_types.${name.slice(0, 64)}`;
    if (!TYPE_NAME.test(name)) return { field, message: 'a type name is 1 to 128 letters, digits or . : / - _' };
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { field, message: 'must be a JSON Schema object' };
    try {
      ajv.compile(schema);
    } catch (error) {
      return { field, message: `is not a valid JSON Schema: ${(error as Error).message.slice(0, 200)}` };
    }
  }
  return null;
}

/** RFC 9396 §6.1: at the token endpoint a client may ask for part of what was granted, never more. */
export function narrowAuthorizationDetails(
  granted: readonly AuthorizationDetail[],
  requested: readonly AuthorizationDetail[],
): AuthorizationDetail[] {
  const grantedJson = granted.map((detail) => canonical(detail));
  for (const detail of requested)
    if (!grantedJson.includes(canonical(detail)))
      throw new InvalidAuthorizationDetails({ hint: 'the token request asks for authorization details that were not granted' });
  return [...requested];
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
