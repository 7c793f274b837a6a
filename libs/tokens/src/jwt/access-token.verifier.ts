import { decodeProtectedHeader, errors, jwtVerify, type CryptoKey, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { isSigningAlgorithm, type SigningAlgorithm } from '../keys/signing-algorithm.js';
import { TokenVerificationError, type TokenVerificationReason } from './token-verification.error.js';

export interface AccessTokenVerificationOptions {
  readonly issuer: string;
  /** When given, `aud` must contain one of these. */
  readonly audience?: string | readonly string[];
  /** The issuer's public key for a kid, null when unknown. Its failures propagate unchanged. */
  readonly keyFor: (kid: string) => Promise<CryptoKey | null>;
  readonly now: Date;
  readonly algorithms: readonly SigningAlgorithm[];
}

export interface AccessTokenClaims extends JWTPayload {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  readonly client_id: string;
  readonly scope?: string;
  readonly auth_time?: number;
}

// RFC 9068 §2.2: the claims every JWT access token carries.
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];

/** Verifies a JWT access token as RFC 9068 §4 asks; throws `TokenVerificationError` with the reason. */
export async function verifyAccessToken(token: string, options: AccessTokenVerificationOptions): Promise<AccessTokenClaims> {
  const header = protectedHeader(token);
  if (!isAccessTokenTyp(header.typ)) throw new TokenVerificationError('wrong_typ');
  // Checked before any key is touched: "none", HS256 with a public key as secret, and the like.
  if (!header.alg || !isSigningAlgorithm(header.alg) || !options.algorithms.includes(header.alg)) {
    throw new TokenVerificationError('alg_not_allowed');
  }
  const key = typeof header.kid === 'string' ? await options.keyFor(header.kid) : null;
  if (!key) throw new TokenVerificationError('unknown_kid');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      issuer: options.issuer,
      audience: typeof options.audience === 'string' || options.audience === undefined ? options.audience : [...options.audience],
      algorithms: [...options.algorithms],
      currentDate: options.now,
      requiredClaims: REQUIRED_CLAIMS,
    }));
  } catch (error) {
    throw new TokenVerificationError(reasonFor(error), { cause: error });
  }
  if (!hasClaimTypes(payload)) throw new TokenVerificationError('invalid_claim');
  return payload;
}

/** RFC 9068 §4: "at+jwt" or "application/at+jwt"; media types compare case-insensitively (RFC 7515 §4.1.9). */
function isAccessTokenTyp(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === 'at+jwt' || lower === 'application/at+jwt';
}

function protectedHeader(token: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(token);
  } catch (error) {
    throw new TokenVerificationError('malformed', { cause: error });
  }
}

function hasClaimTypes(payload: JWTPayload): payload is AccessTokenClaims {
  const strings = [payload.iss, payload.sub, payload.jti, payload['client_id']];
  const scope = payload['scope'];
  const authTime = payload['auth_time'];
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  return (
    strings.every((value) => typeof value === 'string') &&
    audiences.length > 0 &&
    audiences.every((value) => typeof value === 'string') &&
    (scope === undefined || typeof scope === 'string') &&
    (authTime === undefined || typeof authTime === 'number')
  );
}

function reasonFor(error: unknown): TokenVerificationReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing_claim';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'nbf') return 'not_yet_valid';
    return 'invalid_claim';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  // jose refuses a key whose type does not fit the header's alg with a TypeError.
  if (error instanceof TypeError) return 'key_mismatch';
  return 'malformed';
}
