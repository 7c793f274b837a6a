import type { ActiveSigningKey } from '../signing/tenant-key-set.js';
import { issuedAndExpiry, newTokenId } from './jwt-claims.js';
import { signCompactJwt } from './compact-jwt.signer.js';

/** OIDC Back-Channel Logout 1.0 §2.4: the member of `events` that makes a JWT a logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenClaimsInput {
  readonly issuer: string;
  /** The relying party's client_id. */
  readonly audience: string;
  readonly subject: string;
  /** The session that ended, as the `sid` of the ID tokens issued in it. */
  readonly sessionId?: string;
  readonly now: Date;
  /** Short: the token is delivered at once, and minted again for every attempt. */
  readonly lifetimeSeconds: number;
}

/**
 * A logout token (Back-Channel Logout §2.4): iss, aud, iat, exp, jti, sub and/or sid, and the
 * events claim. Never a nonce, so it cannot be mistaken for an ID token (§2.4, §2.6 step 5).
 */
export async function mintLogoutToken(key: ActiveSigningKey, input: LogoutTokenClaimsInput): Promise<string> {
  const claims = {
    iss: input.issuer,
    aud: input.audience,
    ...issuedAndExpiry(input.now, input.lifetimeSeconds),
    jti: newTokenId(),
    sub: input.subject,
    ...(input.sessionId === undefined ? {} : { sid: input.sessionId }),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  // §2.4 and RFC 8725 §3.11: explicit typing keeps it from passing as any other JWT.
  return await signCompactJwt(key, 'logout+jwt', claims);
}
