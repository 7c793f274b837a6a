import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

// RFC 9449 as answered by the authorization server: a JSON 400 (§5, §8). A resource server
// answers 401 with a DPoP challenge instead (§7.1): libs/resource-server maps these there.

export class InvalidDpopProof extends OAuthError {
  constructor(options?: OAuthErrorOptions) {
    super({ error: 'invalid_dpop_proof', status: 400, description: 'The DPoP proof is invalid' }, options);
  }
}

export interface UseDpopNonceOptions extends OAuthErrorOptions {
  /** The nonce the client must put in its next proof, sent as the DPoP-Nonce header. */
  readonly nonce?: string;
}

/** RFC 9449 §8: the answer carries the DPoP-Nonce header with the nonce to use. */
export class UseDpopNonce extends OAuthError {
  readonly nonce: string | undefined;

  constructor(options: UseDpopNonceOptions = {}) {
    super(
      {
        error: 'use_dpop_nonce',
        status: 400,
        description: 'The authorization server requires a DPoP nonce',
        ...(options.nonce === undefined ? {} : { headers: { 'dpop-nonce': options.nonce } }),
      },
      options,
    );
    this.nonce = options.nonce;
  }
}
