import type { ActiveSigningKey } from '../signing/tenant-key-set.js';
import { claimsSet, issuedAndExpiry, numericDate } from './jwt-claims.js';
import { tokenHashClaim } from './token-hash.js';
import { signCompactJwt } from './compact-jwt.signer.js';

export interface IdTokenClaimsInput {
  readonly issuer: string;
  readonly subject: string;
  /** The relying party: both `aud` and `azp`. */
  readonly clientId: string;
  readonly authTime: Date;
  /** The `nonce` of the authentication request, echoed unchanged (OIDC Core §3.1.2.1). */
  readonly nonce?: string;
  readonly acr?: string;
  readonly amr?: readonly string[];
  /** The SSO session, as `sid` (OIDC Front-/Back-Channel Logout 1.0 §2/§2.1): what a logout token names. */
  readonly sessionId?: string;
  /** The access token issued alongside, for `at_hash`. */
  readonly accessToken?: string;
  /** The authorization code issued alongside (hybrid flow), for `c_hash`. */
  readonly code?: string;
  readonly now: Date;
  readonly lifetimeSeconds: number;
  /** Profile, email and other user claims. They never replace the claims above. */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** An OpenID Connect ID token (OIDC Core §2, §3.1.3.6). */
export async function mintIdToken(key: ActiveSigningKey, input: IdTokenClaimsInput): Promise<string> {
  const claims = claimsSet(input.extraClaims, {
    iss: input.issuer,
    sub: input.subject,
    aud: input.clientId,
    ...issuedAndExpiry(input.now, input.lifetimeSeconds),
    auth_time: numericDate(input.authTime),
    nonce: input.nonce,
    // OIDC Core §2: azp is only required with several audiences; always sending it is allowed
    // and spares relying parties the special case.
    azp: input.clientId,
    acr: input.acr,
    amr: input.amr ? [...input.amr] : undefined,
    sid: input.sessionId,
    at_hash: input.accessToken === undefined ? undefined : tokenHashClaim(input.accessToken, key.alg),
    c_hash: input.code === undefined ? undefined : tokenHashClaim(input.code, key.alg),
  });
  return await signCompactJwt(key, 'JWT', claims);
}
