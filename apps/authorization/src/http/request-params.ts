import { InvalidRequest } from '@gatehouse/protocol';

export type Params = Readonly<Record<string, string | undefined>>;

/**
 * Query or form parameters as single strings. RFC 6749 §3.1 and §3.2: parameters
 * must not be included more than once; an empty value counts as absent.
 */
export function singleValuedParams(source: unknown): Params {
  if (source === null || source === undefined || typeof source !== 'object') return {};
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new InvalidRequest({ hint: `the ${name} parameter is repeated` });
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}
