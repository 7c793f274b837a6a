import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

// RFC 7591 §3.2.2: dynamic client registration errors, always a JSON response.

export class InvalidClientMetadata extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'invalid_client_metadata', status: 400, description: 'A client metadata value is invalid' }, options);
  }
}

export class InvalidRedirectUri extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'invalid_redirect_uri', status: 400, description: 'A redirect URI is invalid' }, options);
  }
}

// RFC 7592 §2.2 update with HTTP's conditional requests (RFC 9110 §13.1.1): not errors RFC 7591 names,
// so they carry invalid_request with the HTTP status that says what happened.

/** The If-Match sent names a version of the client that is no longer the current one: nothing was written. */
export class RegistrationPreconditionFailed extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_request', status: 412, description: 'The client changed since it was read; read it again (If-Match)' },
      options,
    );
  }
}

/** The client changed between this request's read and its write: nothing was written; send the request again. */
export class RegistrationConflict extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_request', status: 409, description: 'The client changed while this request was processed; send it again' },
      options,
    );
  }
}
