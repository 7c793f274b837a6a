import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

// RFC 9449 as answered by the authorization server: a JSON 400 (§5, §8). A resource server
// answers 401 with a DPoP challenge instead (§7.1), which is not built here.

export class InvalidDpopProof extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'invalid_dpop_proof', status: 400, description: 'The DPoP proof is invalid' }, options);
  }
}

/** RFC 9449 §8: the caller adds the DPoP-Nonce header carrying the nonce to use. */
export class UseDpopNonce extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'use_dpop_nonce', status: 400, description: 'The authorization server requires a DPoP nonce' }, options);
  }
}
