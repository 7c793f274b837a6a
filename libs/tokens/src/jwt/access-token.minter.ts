import type { ActiveSigningKey } from '../signing/tenant-key-set.js';
import { claimsSet, issuedAndExpiry, newTokenId, numericDate } from './jwt-claims.js';
import { signCompactJwt } from './compact-jwt.signer.js';

export interface AccessTokenClaimsInput {
  readonly issuer: string;
  readonly subject: string;
  /** The resource server(s) the token is for (RFC 9068 §2.2, RFC 8707). */
  readonly audience: string | readonly string[];
  readonly clientId: string;
  /** Granted scope tokens; the `scope` claim is omitted when there are none. */
  readonly scope: readonly string[];
  /** When the end user authenticated, if a user is involved. */
  readonly authTime?: Date;
  readonly now: Date;
  readonly lifetimeSeconds: number;
  /** Further claims (`acr`, `amr`, `cnf`, ...). They never replace the claims above. */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** An RFC 9068 JWT access token. */
export async function mintAccessToken(key: ActiveSigningKey, input: AccessTokenClaimsInput): Promise<string> {
  const audience = typeof input.audience === 'string' ? input.audience : [...input.audience];
  if (audience.length === 0) throw new RangeError('An access token needs an audience (RFC 9068 §2.2)');
  const claims = claimsSet(input.extraClaims, {
    iss: input.issuer,
    sub: input.subject,
    aud: audience,
    ...issuedAndExpiry(input.now, input.lifetimeSeconds),
    jti: newTokenId(),
    client_id: input.clientId,
    scope: input.scope.length > 0 ? input.scope.join(' ') : undefined,
    auth_time: input.authTime ? numericDate(input.authTime) : undefined,
  });
  // RFC 9068 §2.1: typ "at+jwt" keeps an access token from passing as an ID token, and back.
  return await signCompactJwt(key, 'at+jwt', claims);
}
