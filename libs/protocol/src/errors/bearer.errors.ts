import { bearerChallenge } from './challenge.js';
import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** RFC 6750 §3.1: the access token is expired, revoked, malformed or otherwise invalid. */
export class InvalidToken extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      {
        error: 'invalid_token',
        status: 401,
        description: 'The access token is invalid',
        wwwAuthenticate: bearerChallenge({ error: 'invalid_token' }),
      },
      options,
    );
  }
}

export interface InsufficientScopeOptions extends OAuthErrorOptions {
  /** RFC 6750 §3: the scope needed to access the resource, announced in the challenge. */
  readonly scope?: string;
}

/** RFC 6750 §3.1: the token is valid but lacks the scope the request needs. */
export class InsufficientScope extends OAuthError {
  constructor(options: InsufficientScopeOptions = {}) {
    super(
      {
        error: 'insufficient_scope',
        status: 403,
        description: 'The access token does not grant the required scope',
        wwwAuthenticate: bearerChallenge({ error: 'insufficient_scope', ...(options.scope === undefined ? {} : { scope: options.scope }) }),
      },
      options,
    );
  }
}

/** RFC 8707 §2: the resource parameter names a target the server refuses or does not know. */
export class InvalidTarget extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_target', status: 400, description: 'The requested resource is invalid or unknown', redirectable: true },
      options,
    );
  }
}
