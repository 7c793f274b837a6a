import type { JWSAlgorithm } from 'jose';

/**
 * A tenant's security profile: `none` (the platform's own OAuth 2.1 rules) or `fapi2`, the FAPI 2.0
 * Security Profile (OpenID Foundation, final, February 2025) applied to every client of the tenant
 * (docs/adr/0020).
 */
export const SECURITY_PROFILES = ['none', 'fapi2'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

export function isSecurityProfile(value: string): value is SecurityProfile {
  return (SECURITY_PROFILES as readonly string[]).includes(value);
}

/** FAPI 2.0 §5.3.2.1 item 6 and §5.3.3.1: confidential clients, authenticated by mTLS or private_key_jwt only. */
export const FAPI2_CLIENT_AUTH_METHODS = ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'] as const;

/**
 * FAPI 2.0 §5.4.1: PS256, ES256 and EdDSA (Ed25519) are the only JWS algorithms, for every signature
 * the tenant makes or checks: access and ID tokens, client assertions, request objects, DPoP proofs.
 */
export const FAPI2_SIGNING_ALGORITHMS: readonly JWSAlgorithm[] = ['ES256', 'PS256', 'EdDSA'];

/** FAPI 2.0 §5.3.2.1 item 12: an authorization code lives at most 60 seconds. */
export const FAPI2_MAX_CODE_LIFETIME_SECONDS = 60;

export function isFapi2Algorithm(alg: string | null | undefined): boolean {
  return typeof alg === 'string' && (FAPI2_SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/** The registered facts that decide whether a client may be used under FAPI 2.0. */
export interface ProfiledClient {
  readonly tokenEndpointAuthMethod: string;
  readonly idTokenSignedResponseAlg?: string | null;
  readonly requestObjectSigningAlg?: string | null;
}

/**
 * Why a client registered before its tenant switched to FAPI 2.0 cannot be used under it, or null.
 * Registration and the admin API refuse such metadata up front (invalid_client_metadata); a client
 * that predates the switch is refused when it authenticates (invalid_client), never silently changed.
 */
export function fapi2ClientProblem(client: ProfiledClient): string | null {
  if (!(FAPI2_CLIENT_AUTH_METHODS as readonly string[]).includes(client.tokenEndpointAuthMethod))
    return `FAPI 2.0 allows only ${FAPI2_CLIENT_AUTH_METHODS.join(', ')} client authentication (this client uses ${client.tokenEndpointAuthMethod})`;
  for (const [field, alg] of [
    ['id_token_signed_response_alg', client.idTokenSignedResponseAlg],
    ['request_object_signing_alg', client.requestObjectSigningAlg],
  ] as const) {
    if (alg !== null && alg !== undefined && !isFapi2Algorithm(alg))
      return `FAPI 2.0 allows only ${FAPI2_SIGNING_ALGORITHMS.join(', ')} for ${field} (this client registered ${alg})`;
  }
  return null;
}
