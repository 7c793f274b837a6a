import { createHash } from 'node:crypto';
import type { StandingCheck, ValidatedClaims } from './access-token-validator.js';

export interface IntrospectionOptions {
  /** The issuer's introspection endpoint (RFC 7662), from its discovery document. */
  readonly endpoint: string | URL;
  /** The resource server's own client at the issuer (client_secret_basic). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** A positive answer is reused for at most this long (and never past the token's exp). 30 s by default. */
  readonly cacheSeconds?: number;
  readonly cacheMaxEntries?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

const DEFAULT_CACHE_SECONDS = 30;
const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

/**
 * Introspection mode: after its signature checks out locally, each token is also asked about at the
 * issuer (RFC 7662), for callers that want every revocation, logout and disabled user to count at once.
 * Only `active: true` answers are cached, never past the token's `exp`; a refusal, or an issuer that
 * cannot be reached, refuses the token (fails closed) and is asked again next time.
 */
export function introspectionStanding(options: IntrospectionOptions): StandingCheck {
  const cache = new Map<string, { claims: ValidatedClaims; until: number }>();
  const cacheMs = (options.cacheSeconds ?? DEFAULT_CACHE_SECONDS) * 1000;
  const maxEntries = options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const send = options.fetch ?? fetch;
  const credentials = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64')}`;

  return async (claims, token) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const at = now();
    const cached = cache.get(key);
    if (cached && cached.until > at) return cached.claims;
    cache.delete(key);
    let active: boolean;
    try {
      const response = await send(options.endpoint, {
        method: 'POST',
        headers: { authorization: credentials, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'manual',
      });
      active = response.ok && ((await response.json()) as { active?: unknown }).active === true;
    } catch {
      return null;
    }
    if (!active) return null;
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : at;
    const until = Math.min(exp, at + cacheMs);
    if (until > at) {
      cache.set(key, { claims, until });
      while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    }
    return claims;
  };
}

/** RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
