/** Why a token was refused: for logs and metrics, never for the client (RFC 6750 §3.1 says only invalid_token). */
export type TokenVerificationReason =
  | 'malformed'
  | 'wrong_typ'
  | 'alg_not_allowed'
  | 'unknown_kid'
  | 'key_mismatch'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claim'
  | 'invalid_claim';

export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';

  constructor(
    readonly reason: TokenVerificationReason,
    options?: { cause?: unknown },
  ) {
    super(`Token refused: ${reason}`, options);
  }
}
