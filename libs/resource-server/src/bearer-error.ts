import { bearerChallenge, dpopChallenge } from '@gatehouse/protocol';

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce';

export interface BearerErrorOptions {
  readonly realm?: string;
  readonly scope?: string;
  /** RFC 9449 §7.1: the request used the DPoP scheme, so the challenge is a DPoP one naming these algorithms. */
  readonly dpopAlgs?: readonly string[];
  /** RFC 9728 §5.1: the resource's metadata URL, so a client finds the authorization server. */
  readonly resourceMetadata?: string;
}

/** RFC 6750 §3.1 (and RFC 9449 §7.1): what a protected resource answers, with its WWW-Authenticate challenge. */
export class BearerError extends Error {
  override readonly name = 'BearerError';
  readonly status: number;
  readonly wwwAuthenticate: string;

  constructor(
    readonly code: BearerErrorCode | null,
    readonly description: string,
    readonly options: BearerErrorOptions = {},
  ) {
    super(description);
    this.status = code === 'insufficient_scope' ? 403 : code === 'invalid_request' ? 400 : 401;
    const error = code ? { error: code, description } : {};
    // §3: a request without any credentials gets a bare challenge, no error code.
    this.wwwAuthenticate = options.dpopAlgs
      ? dpopChallenge({ realm: options.realm, ...error, algs: options.dpopAlgs, resourceMetadata: options.resourceMetadata })
      : bearerChallenge({ realm: options.realm, ...error, scope: options.scope, resourceMetadata: options.resourceMetadata });
  }

  /** The same refusal, its challenge naming the resource's metadata. */
  withResourceMetadata(url: string): BearerError {
    return new BearerError(this.code, this.description, { ...this.options, resourceMetadata: url });
  }

  /** The JSON body sent with the challenge (the header is what RFC 6750 requires; the body helps people). */
  toJSON(): Record<string, string> {
    return this.code ? { error: this.code, error_description: this.description } : { error_description: this.description };
  }
}
