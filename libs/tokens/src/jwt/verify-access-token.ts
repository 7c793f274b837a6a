import { decodeProtectedHeader, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';

export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface VerifyAccessTokenOptions {
  readonly issuer: string;
  readonly audience?: string;
  readonly keyFor: (kid: string) => Promise<CryptoKey | null>;
  readonly now: Date;
  readonly algorithms: readonly string[];
}

/** RFC 9068 §4: typ at+jwt, our issuer, an allowed alg, a known kid, unexpired; the claims or a TokenVerificationError. */
export async function verifyAccessToken(token: string, options: VerifyAccessTokenOptions): Promise<JWTPayload> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenVerificationError('not a JWS');
  }
  const typ = header.typ?.toLowerCase();
  if (typ !== 'at+jwt' && typ !== 'application/at+jwt') throw new TokenVerificationError('typ is not at+jwt');
  if (!header.alg || !options.algorithms.includes(header.alg)) throw new TokenVerificationError('alg not allowed');
  if (!header.kid) throw new TokenVerificationError('no kid');
  const key = await options.keyFor(header.kid);
  if (!key) throw new TokenVerificationError('unknown kid');
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [...options.algorithms],
      currentDate: options.now,
      typ: header.typ,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    return payload;
  } catch (error) {
    throw new TokenVerificationError(error instanceof Error ? error.message : 'verification failed');
  }
}
