import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

// OpenID Connect Core 1.0 §3.1.2.6: answers to prompt=none and to request objects, sent on the redirect.

export class LoginRequired extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'login_required', status: 400, description: 'End-user authentication is required', redirectable: true }, options);
  }
}

export class ConsentRequired extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'consent_required', status: 400, description: 'End-user consent is required', redirectable: true }, options);
  }
}

export class InteractionRequired extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'interaction_required', status: 400, description: 'End-user interaction is required', redirectable: true }, options);
  }
}

export class AccountSelectionRequired extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'account_selection_required', status: 400, description: 'The end-user must select an account', redirectable: true },
      options,
    );
  }
}

/** Also RFC 9126 §2.2 and §4: an unknown, expired or already used pushed request_uri. */
export class InvalidRequestUri extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'invalid_request_uri', status: 400, description: 'The request_uri is invalid or has expired', redirectable: true },
      options,
    );
  }
}

/** Also RFC 9101 §6.3: the request object is not valid or not signed as required. */
export class InvalidRequestObject extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'invalid_request_object', status: 400, description: 'The request object is invalid', redirectable: true }, options);
  }
}

/** OIDC Core §3.1.2.6: the OP does not support the request parameter (request objects). */
export class RequestNotSupported extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'request_not_supported', status: 400, description: 'The request parameter is not supported', redirectable: true },
      options,
    );
  }
}

/** OIDC Core §3.1.2.6: the OP does not support request_uri (no pushed authorization requests, no request objects by reference). */
export class RequestUriNotSupported extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super(
      { error: 'request_uri_not_supported', status: 400, description: 'The request_uri parameter is not supported', redirectable: true },
      options,
    );
  }
}
