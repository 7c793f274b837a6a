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
