import { createLocalJWKSet, jwtVerify, type JWSAlgorithm, type JWTPayload } from 'jose';
import type { AuthenticatableClient, ClientAuthContext } from './client-auth.types.js';

/** Asymmetric only: private_key_jwt never accepts MAC algorithms (HS*) or alg none. */
export const CLIENT_ASSERTION_ALGORITHMS: readonly JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

const DEFAULT_MAX_LIFETIME_SECONDS = 300;
const DEFAULT_CLOCK_SKEW_SECONDS = 30;

/** RFC 7523 §3 for private_key_jwt. Null when the assertion is acceptable, else why not (for the log). */
export async function verifyClientAssertion(
  assertion: string,
  client: AuthenticatableClient,
  context: ClientAuthContext,
): Promise<string | null> {
  if (client.jwks === null || client.jwks.keys.length === 0) return 'the client has no registered JWK Set';
  const skew = context.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const now = context.now();
  let payload: JWTPayload;
  try {
    const keys = createLocalJWKSet(client.jwks);
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: CLIENT_ASSERTION_ALGORITHMS.filter((alg) => context.assertionAlgorithms?.includes(alg) ?? true),
      issuer: client.clientId,
      subject: client.clientId,
      requiredClaims: ['exp', 'jti'],
      currentDate: now,
      clockTolerance: skew,
    }));
  } catch (error) {
    return `verification failed: ${describe(error)}`;
  }

  if (!audienceAccepted(payload.aud, context)) return 'aud is not the issuer identifier as a single string';
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = payload.exp ?? 0;
  const maxLifetime = context.maxAssertionLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  if (exp > nowSeconds + maxLifetime + skew) return `exp is more than ${maxLifetime}s in the future`;
  if (payload.iat !== undefined && payload.iat > nowSeconds + skew) return 'iat is in the future';
  if (typeof payload.jti !== 'string' || payload.jti === '') return 'jti is missing';

  // Remember the jti for as long as the assertion could still be accepted: exp plus the skew allowed.
  const acceptableUntil = new Date((exp + skew) * 1000);
  if (!(await context.replay.markUsed(client.clientId, payload.jti, acceptableUntil))) return 'jti was already used';
  return null;
}

/**
 * draft-ietf-oauth-rfc7523bis (after the 2024 audience-injection disclosure) and FAPI 2.0: the audience
 * is the issuer identifier as a single string. An array is always refused, whatever it names: a
 * multi-valued aud is what lets an assertion made for one server be replayed at another.
 * acceptTokenEndpointAudience re-allows the token endpoint URL, still single-valued.
 */
function audienceAccepted(aud: unknown, context: ClientAuthContext): boolean {
  if (typeof aud !== 'string') return false;
  return aud === context.issuer || (context.acceptTokenEndpointAudience && aud === context.tokenEndpoint);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
