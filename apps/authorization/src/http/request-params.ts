import { hasLoneSurrogate, InvalidRequest } from '@gatehouse/protocol';

export type Params = Readonly<Record<string, string | undefined>>;

/**
 * Query or form parameters as single strings. RFC 6749 §3.1 and §3.2: parameters
 * must not be included more than once; an empty value counts as absent.
 */
export function singleValuedParams(source: unknown): Params {
  if (source === null || source === undefined || typeof source !== 'object') return {};
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new InvalidRequest({ hint: `${named(name)} is repeated` });
    if (typeof value === 'string' && hasControlCharacter(value)) {
      throw new InvalidRequest({ hint: `${named(name)} contains control characters` });
    }
    if (typeof value === 'string' && hasLoneSurrogate(value)) {
      // A lone UTF-16 surrogate has no UTF-8 form: PostgreSQL's jsonb refuses its \u escape.
      throw new InvalidRequest({ hint: `${named(name)} is not well-formed Unicode` });
    }
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}

/**
 * The parameter as the error may name it: a name shaped like OAuth's (`redirect_uri`), else
 * "a parameter". The hint reaches error pages and JSON: a name like "Your account is
 * suspended, call …" must not put the sender's words there.
 */
function named(name: string): string {
  return /^[a-z][a-z0-9_]{0,39}$/.test(name) ? `the ${name} parameter` : 'a parameter';
}

/** C0 controls other than tab, newline and carriage return, and DEL: no OAuth parameter carries them, and PostgreSQL refuses NUL. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}
