/**
 * A tenant's DPoP settings (RFC 9449), stored as overrides in `tenants.dpop_policy`;
 * `resolveDpopPolicy` fills in the defaults. Off by default: discovery then says nothing
 * of DPoP and a DPoP header at the token endpoint is not looked at.
 */
export interface DpopPolicy {
  readonly enabled: boolean;
  /** §8: every proof must carry a fresh server nonce (`use_dpop_nonce` until it does). */
  readonly requireNonce: boolean;
  /** §11.1: how old a proof's iat may be. */
  readonly proofMaxAgeSeconds: number;
}

export const DEFAULT_DPOP_POLICY: DpopPolicy = Object.freeze({ enabled: false, requireNonce: false, proofMaxAgeSeconds: 60 });

export const DPOP_PROOF_MAX_AGE_BOUNDS: readonly [number, number] = [5, 600];

export function resolveDpopPolicy(overrides: Readonly<Record<string, unknown>> | null | undefined): DpopPolicy {
  const enabled = overrides?.['enabled'];
  const requireNonce = overrides?.['requireNonce'];
  const maxAge = overrides?.['proofMaxAgeSeconds'];
  return {
    enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_DPOP_POLICY.enabled,
    requireNonce: typeof requireNonce === 'boolean' ? requireNonce : DEFAULT_DPOP_POLICY.requireNonce,
    proofMaxAgeSeconds: typeof maxAge === 'number' && Number.isInteger(maxAge) ? maxAge : DEFAULT_DPOP_POLICY.proofMaxAgeSeconds,
  };
}
