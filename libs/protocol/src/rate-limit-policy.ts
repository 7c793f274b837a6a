/**
 * A tenant's login throttling and request rate limits. Tenants store only their
 * overrides (`tenants.rate_limit_policy`), clients may override the endpoint limits
 * (`clients.rate_limit_policy`); `resolveRateLimitPolicy` fills in the defaults.
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
  /** Token endpoint requests one client may make per minute, every grant (client_credentials' limit). */
  readonly tokenRequestsPerClientPerMinute: number;
  /** /authorize requests per client and end-user IP per hour. */
  readonly authorizeRequestsPerClientIpPerHour: number;
  /** authorization_code exchanges per client and source IP per minute (failures, and public clients). */
  readonly codeExchangesPerClientIpPerMinute: number;
  /** A confidential client's successful authorization_code exchanges per user per minute. */
  readonly codeExchangesPerClientUserPerMinute: number;
  /** refresh_token grants per refresh token family per hour. */
  readonly refreshesPerFamilyPerHour: number;
  readonly introspectionRequestsPerClientPerMinute: number;
  readonly revocationRequestsPerClientPerMinute: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = Object.freeze({
  lockoutThreshold: 10,
  lockoutSeconds: 900,
  hardLockThreshold: 100,
  loginAttemptsPerIpPerMinute: 60,
  tokenRequestsPerClientPerMinute: 6_000,
  authorizeRequestsPerClientIpPerHour: 100,
  codeExchangesPerClientIpPerMinute: 10,
  codeExchangesPerClientUserPerMinute: 10,
  refreshesPerFamilyPerHour: 50,
  introspectionRequestsPerClientPerMinute: 6_000,
  revocationRequestsPerClientPerMinute: 6_000,
});

export const RATE_LIMIT_POLICY_BOUNDS: Readonly<Record<keyof RateLimitPolicy, readonly [number, number]>> = Object.freeze({
  lockoutThreshold: [1, 1_000],
  lockoutSeconds: [1, 86_400 * 30],
  hardLockThreshold: [10, 100],
  loginAttemptsPerIpPerMinute: [1, 100_000],
  tokenRequestsPerClientPerMinute: [1, 1_000_000],
  authorizeRequestsPerClientIpPerHour: [1, 1_000_000],
  codeExchangesPerClientIpPerMinute: [1, 1_000_000],
  codeExchangesPerClientUserPerMinute: [1, 1_000_000],
  refreshesPerFamilyPerHour: [1, 1_000_000],
  introspectionRequestsPerClientPerMinute: [1, 1_000_000],
  revocationRequestsPerClientPerMinute: [1, 1_000_000],
});

/** The endpoint limits: what a client may override, each with its window and what it counts by. */
export const ENDPOINT_LIMITS = Object.freeze({
  tokenRequestsPerClientPerMinute: { windowSeconds: 60, keyKind: 'client' },
  authorizeRequestsPerClientIpPerHour: { windowSeconds: 3_600, keyKind: 'client_ip' },
  codeExchangesPerClientIpPerMinute: { windowSeconds: 60, keyKind: 'client_ip' },
  codeExchangesPerClientUserPerMinute: { windowSeconds: 60, keyKind: 'client_user' },
  refreshesPerFamilyPerHour: { windowSeconds: 3_600, keyKind: 'refresh_family' },
  introspectionRequestsPerClientPerMinute: { windowSeconds: 60, keyKind: 'client' },
  revocationRequestsPerClientPerMinute: { windowSeconds: 60, keyKind: 'client' },
} as const);

export type EndpointLimit = keyof typeof ENDPOINT_LIMITS;

export const CLIENT_RATE_LIMIT_BOUNDS: Readonly<Record<EndpointLimit, readonly [number, number]>> = Object.freeze(
  Object.fromEntries(Object.keys(ENDPOINT_LIMITS).map((name) => [name, RATE_LIMIT_POLICY_BOUNDS[name as EndpointLimit]])) as Record<
    EndpointLimit,
    readonly [number, number]
  >,
);

/** Defaults, then the tenant's overrides, then the client's (endpoint limits only). */
export function resolveRateLimitPolicy(
  overrides: Readonly<Record<string, unknown>> | null | undefined,
  clientOverrides?: Readonly<Record<string, unknown>> | null,
): RateLimitPolicy {
  const resolved: Record<string, number> = { ...DEFAULT_RATE_LIMIT_POLICY };
  for (const key of Object.keys(DEFAULT_RATE_LIMIT_POLICY)) {
    const value = overrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) resolved[key] = value;
  }
  for (const key of Object.keys(ENDPOINT_LIMITS)) {
    const value = clientOverrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) resolved[key] = value;
  }
  return resolved as unknown as RateLimitPolicy;
}
