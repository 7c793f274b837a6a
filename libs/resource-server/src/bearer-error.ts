import { bearerChallenge } from '@gatehouse/protocol';

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** RFC 6750 §3.1: what a protected resource answers, with its WWW-Authenticate challenge. */
export class BearerError extends Error {
  override readonly name = 'BearerError';
  readonly status: number;
  readonly wwwAuthenticate: string;

  constructor(
    readonly code: BearerErrorCode | null,
    readonly description: string,
    options: { realm?: string; scope?: string } = {},
  ) {
    super(description);
    this.status = code === 'insufficient_scope' ? 403 : code === 'invalid_request' ? 400 : 401;
    // §3: a request without any credentials gets a bare challenge, no error code.
    this.wwwAuthenticate = bearerChallenge({ realm: options.realm, ...(code ? { error: code, description } : {}), scope: options.scope });
  }
}
