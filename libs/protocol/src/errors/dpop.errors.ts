import { dpopChallenge } from './challenge.js';
import { OAuthError, type OAuthErrorCode, type OAuthErrorOptions } from './oauth-error.js';

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

export type DpopResourceErrorCode = Extract<OAuthErrorCode, 'invalid_request' | 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce'>;

export interface DpopRefusalOptions extends OAuthErrorOptions {
  readonly algs: readonly string[];
  readonly nonce?: string | undefined;
}

/**
 * RFC 9449 §7.1 at a protected resource (userinfo): a request with a DPoP-bound token is refused
 * with 401 (400 for a malformed request) and a DPoP challenge naming the error and the algorithms;
 * use_dpop_nonce also carries the DPoP-Nonce header (§9).
 */
export class DpopResourceRefusal extends OAuthError {
  constructor(code: DpopResourceErrorCode, description: string, options: DpopRefusalOptions) {
    super(
      {
        error: code,
        status: code === 'invalid_request' ? 400 : 401,
        description,
        wwwAuthenticate: dpopChallenge({ error: code, description, algs: options.algs }),
        ...(options.nonce === undefined ? {} : { headers: { 'dpop-nonce': options.nonce } }),
      },
      options,
    );
  }

  /** The same refusal as a DPoP challenge: a proof error found by the shared validator. */
  static from(error: OAuthError, algs: readonly string[]): DpopResourceRefusal {
    const code: DpopResourceErrorCode =
      error.error === 'use_dpop_nonce' ? 'use_dpop_nonce' : error.error === 'invalid_token' ? 'invalid_token' : 'invalid_dpop_proof';
    const nonce = error instanceof UseDpopNonce ? error.nonce : undefined;
    return new DpopResourceRefusal(code, error.description, { algs, nonce, hint: error.hint, cause: error.internalCause });
  }
}
