import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { bearerTokenOf, certificateBindingProblem, dpopTokenOf, DPOP_ALGORITHMS } from '@gatehouse/protocol';
import { BearerError } from './bearer-error.js';
import { CachedJwks } from './cached-jwks.js';
import { checkDpopPresentation, confirmationJkt, type PresentedRequest, type ResourceDpopOptions } from './dpop-presentation.js';
import type { RevocationList } from './revocation-list.js';

export const ASYMMETRIC_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

export interface AccessTokenValidatorOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's keys: a JWKS URL (cached, refetched on an unknown kid) or a resolver. */
  readonly keys: URL | JWTVerifyGetKey;
  readonly algorithms?: readonly string[];
  readonly clockToleranceSeconds?: number;
  readonly now?: () => Date;
  /**
   * Whether a token that verified still stands now (its jti, grant, session and user still
   * valid at the issuer): the claims to go on with (a hook may refresh some, e.g. current
   * roles), or null to refuse it. Without a hook a signature and expiry are all there is.
   */
  readonly standing?: StandingCheck;
  /** Tokens and grants Gatehouse announced as revoked (RevocationList.listen): refused at once. */
  readonly revocations?: RevocationList;
  /**
   * RFC 9449: accept DPoP-bound tokens with the DPoP scheme and a proof. Without it the DPoP scheme
   * is refused; a DPoP-bound token sent as Bearer is refused either way (§7.2).
   */
  readonly dpop?: ResourceDpopOptions;
  /** Told the result of every validation (metrics); must not throw. */
  readonly onResult?: (result: 'valid' | 'invalid') => void;
}

export type ValidatedClaims = JWTPayload & { readonly sub: string; readonly client_id?: string; readonly scope?: string };

export type StandingCheck = (claims: ValidatedClaims, token: string) => Promise<ValidatedClaims | null>;

/**
 * Validates RFC 9068 JWT access tokens for a resource server: typ at+jwt, the
 * expected issuer and audience, an asymmetric alg from the allow-list, a key
 * from the issuer's JWKS. Every failure is a BearerError (RFC 6750).
 */
export class AccessTokenValidator {
  private readonly keys: JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly options: AccessTokenValidatorOptions) {
    this.algorithms = [...(options.algorithms ?? ASYMMETRIC_ALGORITHMS)];
    // The JWKS is cached and refetched (at most every 30 s) when a kid is unknown; known keys are a map lookup.
    this.keys = options.keys instanceof URL ? new CachedJwks(options.keys).getKey : options.keys;
  }

  /**
   * A request's credentials: `Authorization: Bearer` (never a DPoP-bound token), or `Authorization:
   * DPoP` with its proof (RFC 9449 §7.1). Every failure is a BearerError with the scheme's challenge.
   */
  async validateRequest(request: PresentedRequest): Promise<ValidatedClaims> {
    const dpopToken = dpopTokenOf(request.authorization);
    const claims = dpopToken === null ? await this.validateBearer(request.authorization) : await this.validateDpop(request, dpopToken);
    // RFC 8705 §3: a certificate-bound token only with the certificate it is bound to.
    const problem = certificateBindingProblem(claims, request.certificate);
    if (problem !== null) throw new BearerError('invalid_token', 'The access token is bound to another client certificate');
    return claims;
  }

  private async validateBearer(authorization: string | undefined): Promise<ValidatedClaims> {
    const claims = await this.validate(bearerTokenFrom(authorization));
    if (confirmationJkt(claims) !== undefined)
      throw new BearerError('invalid_token', 'A DPoP-bound token needs the DPoP scheme and a proof');
    return claims;
  }

  private async validateDpop(request: PresentedRequest, dpopToken: string): Promise<ValidatedClaims> {
    const dpopAlgs = DPOP_ALGORITHMS;
    if (!this.options.dpop) throw new BearerError('invalid_token', 'DPoP is not accepted here', { dpopAlgs });
    let claims: ValidatedClaims;
    try {
      claims = await this.validate(dpopToken);
    } catch (error) {
      if (error instanceof BearerError) throw new BearerError('invalid_token', error.description, { dpopAlgs });
      throw error;
    }
    const jkt = confirmationJkt(claims);
    if (jkt === undefined) throw new BearerError('invalid_token', 'The access token is not DPoP-bound', { dpopAlgs });
    await checkDpopPresentation(this.options.dpop, request, dpopToken, jkt, this.options.now?.() ?? new Date());
    return claims;
  }

  /** The token's signature and claims, then whether it still stands (revocations, the standing hook). */
  async validate(token: string): Promise<ValidatedClaims> {
    let claims: ValidatedClaims;
    try {
      // One parse: jose checks typ (RFC 9068 §4, `application/` prefix and case ignored) with the claims.
      claims = (await jwtVerify(token, this.keys, this.verifyOptions)).payload as ValidatedClaims;
    } catch (error) {
      this.options.onResult?.('invalid');
      throw refusalOf(error, this.options.issuer);
    }
    // RFC 6750 §3.1: a revoked token is an invalid one.
    const standing =
      this.options.revocations?.isRevoked(claims) === true
        ? null
        : this.options.standing
          ? await this.options.standing(claims, token)
          : claims;
    this.options.onResult?.(standing ? 'valid' : 'invalid');
    if (!standing) throw new BearerError('invalid_token', 'The access token is no longer valid');
    return standing;
  }

  private get verifyOptions(): JWTVerifyOptions {
    return {
      issuer: this.options.issuer,
      audience: this.options.audience,
      typ: 'at+jwt',
      algorithms: this.algorithms,
      clockTolerance: this.options.clockToleranceSeconds ?? 5,
      currentDate: this.options.now?.(),
      requiredClaims: REQUIRED_CLAIMS,
    };
  }
}

const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'jti'];

/** What a failed verification tells the caller: the kind of refusal, never which check a forgery failed. */
function refusalOf(error: unknown, issuer: string): BearerError {
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'typ') return new BearerError('invalid_token', 'Not an access token');
    // Signed by a key we trust but for another issuer: almost always a token minted where PUBLIC_URL
    // differs (the CLI and the server disagreeing, issue 18). The issuer is public; say which one.
    if (error.claim === 'iss')
      return new BearerError('invalid_token', `The access token was issued for another issuer; this one is ${issuer} (check PUBLIC_URL)`);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return new BearerError('invalid_token', 'The access token is malformed');
  return new BearerError('invalid_token', 'The access token is invalid or expired');
}

/** RFC 6750 §2.1: `Authorization: Bearer <token>`; a missing header is a bare challenge. */
export function bearerTokenFrom(authorization: string | undefined): string {
  if (!authorization) throw new BearerError(null, 'Authentication required');
  const token = bearerTokenOf(authorization);
  if (!token) throw new BearerError('invalid_request', 'Malformed Authorization header');
  return token;
}
