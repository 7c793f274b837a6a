/**
 * An OAuth error answered by the server (RFC 6749 §5.2, §4.1.2.1) or a check this client made that
 * failed (state, iss, ID token). `error` is the OAuth error code, or one of this library's own
 * (`state_mismatch`, `issuer_mismatch`, `invalid_id_token`, `invalid_response`).
 */
export class OAuthClientError extends Error {
  override readonly name = 'OAuthClientError';

  constructor(
    readonly error: string,
    readonly description?: string,
    /** The HTTP status, when the server answered with an error. */
    readonly status?: number,
  ) {
    super(description ? `${error}: ${description}` : error);
  }
}

/** The OAuth error of a JSON error body, or a generic one naming the status. */
export async function errorFromResponse(response: Response): Promise<OAuthClientError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string')
      return new OAuthClientError(
        body.error,
        typeof body.error_description === 'string' ? body.error_description : undefined,
        response.status,
      );
  } catch {
    // not JSON: below
  }
  return new OAuthClientError('invalid_response', `the server answered ${response.status}`, response.status);
}
