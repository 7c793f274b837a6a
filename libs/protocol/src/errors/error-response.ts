import { ServerError } from './error-classes.js';
import { OAuthError } from './oauth-error.js';

/** RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
export function sanitizeDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '').slice(0, 500);
}

export interface ErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: { error: string; error_description: string };
}

/** The one serializer for back-channel endpoints: JSON, no-store, the challenge header when there is one. */
export function toErrorResponse(error: OAuthError): ErrorResponse {
  const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
  if (error.wwwAuthenticate) headers['www-authenticate'] = error.wwwAuthenticate;
  return { status: error.status, headers, body: { error: error.error, error_description: sanitizeDescription(error.errorDescription) } };
}

/** Anything that is not a protocol error becomes a generic server_error; the original is kept for the log. */
export function toServerError(cause: unknown): OAuthError {
  return cause instanceof OAuthError ? cause : new ServerError({ cause });
}

/** RFC 6749 §4.1.2.1 with RFC 9207's iss: the error goes back on the registered redirect URI's query. */
export function authorizationErrorRedirect(
  redirectUri: string,
  error: OAuthError,
  params: { state?: string | undefined; iss: string },
): string {
  const url = new URL(redirectUri);
  url.searchParams.append('error', error.error);
  url.searchParams.append('error_description', sanitizeDescription(error.errorDescription));
  if (params.state !== undefined) url.searchParams.append('state', params.state);
  url.searchParams.append('iss', params.iss);
  return url.toString();
}
