/**
 * A tenant's login throttling and request rate limits. Tenants store only their
 * overrides (`tenants.rate_limit_policy`); `resolveRateLimitPolicy` fills in the defaults.
 */
export interface RateLimitPolicy {
  /** Consecutive failed passwords that lock an account. */
  readonly lockoutThreshold: number;
  readonly lockoutSeconds: number;
  /**
   * Failed passwords and codes, counted across temporary locks until a successful login, that
   * lock the account until an admin unlocks it. NIST SP 800-63B §5.2.2: no more than 100.
   */
  readonly hardLockThreshold: number;
  /** Login attempts (any username) one IP may make per minute. */
  readonly loginAttemptsPerIpPerMinute: number;
  /** Token endpoint requests one client may make per minute. */
  readonly tokenRequestsPerClientPerMinute: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = Object.freeze({
  lockoutThreshold: 10,
  lockoutSeconds: 900,
  hardLockThreshold: 100,
  loginAttemptsPerIpPerMinute: 60,
  tokenRequestsPerClientPerMinute: 6_000,
});

export const RATE_LIMIT_POLICY_BOUNDS: Readonly<Record<keyof RateLimitPolicy, readonly [number, number]>> = Object.freeze({
  lockoutThreshold: [1, 1_000],
  lockoutSeconds: [1, 86_400 * 30],
  hardLockThreshold: [10, 100],
  loginAttemptsPerIpPerMinute: [1, 100_000],
  tokenRequestsPerClientPerMinute: [1, 1_000_000],
});

export function resolveRateLimitPolicy(overrides: Readonly<Record<string, unknown>> | null | undefined): RateLimitPolicy {
  const resolved: Record<string, number> = { ...DEFAULT_RATE_LIMIT_POLICY };
  for (const key of Object.keys(DEFAULT_RATE_LIMIT_POLICY)) {
    const value = overrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) resolved[key] = value;
  }
  return resolved as unknown as RateLimitPolicy;
}
