import { InvalidClient } from '../errors/rfc6749.errors.js';

/** RFC 7235 §2.1: the scheme is case-insensitive; RFC 7617 §2: the credentials are base64. */
const BASIC_SCHEME = /^basic(?: |$)/i;
const BASIC_CREDENTIALS = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface BasicCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Reads client_secret_basic credentials; undefined when the header is absent or uses another scheme
 * (introspection callers may present a Bearer token, RFC 7662 §2.1). Malformed Basic is invalid_client.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || !BASIC_SCHEME.test(header)) return undefined;
  const refuse = (cause: string): InvalidClient => new InvalidClient({ basic: true, cause: `malformed Basic credentials: ${cause}` });
  const encoded = BASIC_CREDENTIALS.exec(header)?.[1];
  if (encoded === undefined) throw refuse('not base64');
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw refuse('not UTF-8');
  }
  // RFC 7617 §2: the user-id cannot contain a colon, so split on the first one.
  const colon = decoded.indexOf(':');
  if (colon < 0) throw refuse('no colon');
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) throw refuse('bad percent-encoding');
  if (clientId === '' || clientSecret === '') throw refuse('empty client_id or secret');
  return { clientId, clientSecret };
}

/** RFC 6749 §2.3.1: both parts are application/x-www-form-urlencoded (Appendix B) before base64. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
