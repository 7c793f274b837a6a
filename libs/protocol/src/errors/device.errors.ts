import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

// RFC 8628 §3.5: token endpoint answers while the device code is being polled.

export class AuthorizationPending extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'authorization_pending', status: 400, description: 'The authorization request is still pending' }, options);
  }
}

/** The client must add 5 seconds to its polling interval (RFC 8628 §3.5). */
export class SlowDown extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'slow_down', status: 400, description: 'Polling too frequently; slow down' }, options);
  }
}

export class ExpiredToken extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'expired_token', status: 400, description: 'The device code has expired' }, options);
  }
}
