import { bearerChallenge } from './bearer-challenge.js';
import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 400;
  readonly description = 'The request is missing a parameter or is otherwise malformed';
}

/** RFC 6749 §5.2: 401; a failed HTTP Basic attempt gets a Basic challenge. */
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  readonly status = 401;
  readonly description = 'Client authentication failed';
  override readonly redirectable = false;
  constructor(options: OAuthErrorOptions & { basic?: boolean } = {}) {
    super(options);
    this.wwwAuthenticate = options.basic ? 'Basic realm="token", charset="UTF-8"' : undefined;
  }
}

export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant';
  readonly status = 400;
  readonly description = 'The authorization grant is invalid, expired, revoked or was issued to another client';
}

export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client';
  readonly status = 400;
  readonly description = 'The client is not allowed to use this grant or response type';
}

export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type';
  readonly status = 400;
  readonly description = 'The grant type is not supported';
}

export class InvalidScope extends OAuthError {
  readonly error = 'invalid_scope';
  readonly status = 400;
  readonly description = 'The requested scope is invalid or unknown';
}

export class AccessDenied extends OAuthError {
  readonly error = 'access_denied';
  readonly status = 403;
  readonly description = 'The request was denied';
}

export class UnsupportedResponseType extends OAuthError {
  readonly error = 'unsupported_response_type';
  readonly status = 400;
  readonly description = 'The response type is not supported';
}

export class ServerError extends OAuthError {
  readonly error = 'server_error';
  readonly status = 500;
  readonly description = 'The server could not complete the request';
}

export class TemporarilyUnavailable extends OAuthError {
  readonly error = 'temporarily_unavailable';
  readonly status = 503;
  readonly description = 'The server is temporarily unable to handle the request';
}

/** RFC 8707 §2. */
export class InvalidTarget extends OAuthError {
  readonly error = 'invalid_target';
  readonly status = 400;
  readonly description = 'The requested resource is invalid or unknown';
}

/** RFC 6750 §3.1: 401 with a Bearer challenge. */
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  readonly status = 401;
  readonly description = 'The access token is invalid, expired or revoked';
  override readonly redirectable = false;
  constructor(options: OAuthErrorOptions = {}) {
    super(options);
    this.wwwAuthenticate = bearerChallenge({ error: 'invalid_token', description: this.errorDescription });
  }
}

export class InsufficientScope extends OAuthError {
  readonly error = 'insufficient_scope';
  readonly status = 403;
  readonly description = 'The access token lacks the required scope';
  override readonly redirectable = false;
}

/** OIDC Core §3.1.2.6. */
export class LoginRequired extends OAuthError {
  readonly error = 'login_required';
  readonly status = 400;
  readonly description = 'The user must sign in';
}

export class ConsentRequired extends OAuthError {
  readonly error = 'consent_required';
  readonly status = 400;
  readonly description = 'The user must consent';
}

export class InteractionRequired extends OAuthError {
  readonly error = 'interaction_required';
  readonly status = 400;
  readonly description = 'The user must interact with the authorization server';
}
