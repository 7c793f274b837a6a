import { basicChallenge } from './challenge.js';
import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** The realm of the Basic challenge after a failed client_secret_basic attempt. */
export const CLIENT_AUTH_REALM = 'gatehouse';

// RFC 6749 §4.1.2.1 (authorization response) and §5.2 (token response).

export class InvalidRequest extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_request', status: 400, description: 'The request is missing a parameter or is malformed', redirectable: true },
      options,
    );
  }
}

export interface InvalidClientOptions extends OAuthErrorOptions {
  /** The client tried client_secret_basic: answer with a Basic challenge (RFC 6749 §5.2). */
  readonly basic?: boolean;
}

/** Never redirected: the client itself is in doubt (RFC 6749 §4.1.2.1). Always 401 here. */
export class InvalidClient extends OAuthError {
  constructor(options: InvalidClientOptions = {}) {
    super(
      {
        error: 'invalid_client',
        status: 401,
        description: 'Client authentication failed',
        ...(options.basic === true ? { wwwAuthenticate: basicChallenge(CLIENT_AUTH_REALM) } : {}),
      },
      options,
    );
  }
}

export class InvalidGrant extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_grant', status: 400, description: 'The grant is invalid, expired, revoked or was issued to another client' },
      options,
    );
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      {
        error: 'unauthorized_client',
        status: 400,
        description: 'The client is not allowed to use this grant or response type',
        redirectable: true,
      },
      options,
    );
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'unsupported_grant_type', status: 400, description: 'The grant type is not supported' }, options);
  }
}

export class InvalidScope extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_scope', status: 400, description: 'The requested scope is invalid, unknown or malformed', redirectable: true },
      options,
    );
  }
}

/** Usually a redirect; as JSON (RFC 8628 §3.5, device flow) it is a token error, so 400 per RFC 6749 §5.2. */
export class AccessDenied extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'access_denied', status: 400, description: 'The resource owner or server denied the request', redirectable: true },
      options,
    );
  }
}

export class UnsupportedResponseType extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'unsupported_response_type', status: 400, description: 'The response type is not supported', redirectable: true },
      options,
    );
  }
}

/** RFC 6749 §4.1.2.1: stands in for a 500, which a redirect cannot carry. */
export class ServerError extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'server_error', status: 500, description: 'The server encountered an unexpected condition', redirectable: true },
      options,
    );
  }
}

/** RFC 6749 §4.1.2.1: stands in for a 503, which a redirect cannot carry. */
export class TemporarilyUnavailable extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      {
        error: 'temporarily_unavailable',
        status: 503,
        description: 'The server is temporarily unable to handle the request',
        redirectable: true,
      },
      options,
    );
  }
}

/**
 * A client over its tenant's token_requests_per_client_per_minute. OAuth defines no rate-limit code
 * at the token endpoint: temporarily_unavailable (RFC 6749 §4.1.2.1) says "try later", and 429 with
 * Retry-After (RFC 6585 §4) says when.
 */
export class RateLimited extends OAuthError {
  constructor(retryAfterSeconds: number, options?: OAuthErrorOptions) {
    super(
      {
        error: 'temporarily_unavailable',
        status: 429,
        description: 'Too many requests from this client; retry later',
        retryAfterSeconds,
      },
      options,
    );
  }
}
