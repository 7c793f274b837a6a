import { sanitizeErrorDescription } from './challenge.js';
import { type OAuthError } from './oauth-error.js';
import { ServerError } from './rfc6749.errors.js';

export interface OAuthErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: { error: string; error_description: string };
}

/** RFC 6749 §5.2 as a JSON response; never cached (§5.1, OAuth 2.1 §3.2.3). The internal cause stays out. */
export function toErrorResponse(error: OAuthError): OAuthErrorResponse {
  const headers: Record<string, string> = { ...error.headers, 'cache-control': 'no-store' };
  if (error.wwwAuthenticate !== undefined) headers['www-authenticate'] = error.wwwAuthenticate;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return {
    status: error.status,
    headers,
    body: { error: error.error, error_description: sanitizeErrorDescription(error.fullDescription) },
  };
}

/** Anything that is not a protocol error becomes a generic server_error; the real thing is kept for the log. */
export function toServerError(thrown: unknown): ServerError {
  return thrown instanceof ServerError ? thrown : new ServerError({ cause: thrown });
}

export interface AuthorizationErrorParams {
  readonly state?: string | undefined;
  /** RFC 9207 §2: the issuer identifier, so the client can detect mix-up attacks. */
  readonly iss: string;
  readonly responseMode?: 'query' | 'fragment';
}

/**
 * RFC 6749 §4.1.2.1 with RFC 9207: the error response on the client's redirect URI. The caller must
 * have verified the redirect URI and checked `error.redirectable`. Existing query parameters are kept
 * as they are (RFC 6749 §3.1.2).
 */
export function authorizationErrorRedirect(redirectUri: string, error: OAuthError, params: AuthorizationErrorParams): string {
  const added = new URLSearchParams({ error: error.error, error_description: sanitizeErrorDescription(error.fullDescription) });
  // RFC 6749 §3.1: a parameter sent without a value counts as omitted.
  if (params.state !== undefined && params.state !== '') added.set('state', params.state);
  added.set('iss', params.iss);
  const url = new URL(redirectUri);
  if (params.responseMode === 'fragment') {
    url.hash = added.toString();
  } else {
    const existing = url.search.slice(1);
    url.search = existing.length > 0 ? `${existing}&${added.toString()}` : added.toString();
  }
  return url.href;
}
