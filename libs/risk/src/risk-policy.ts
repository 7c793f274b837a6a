/**
 * A tenant's risk weights and thresholds. Tenants store only their overrides
 * (`tenants.risk_policy`); `resolveRiskPolicy` fills in the defaults.
 */
export interface RiskPolicy {
  /** Added once for a new country or impossible travel. */
  readonly geoAnomalyPoints: number;
  readonly impossibleTravelKmh: number;
  readonly newDevicePoints: number;
  readonly velocityPoints: number;
  /** More attempts than this for one user inside the window trips the velocity rule. */
  readonly velocityMaxAttempts: number;
  readonly velocityWindowSeconds: number;
  readonly credentialStuffingPoints: number;
  /** More distinct usernames than this from one IP inside the window. */
  readonly credentialStuffingDistinctUsers: number;
  readonly credentialStuffingWindowSeconds: number;
  /** A login scoring at least this needs the second factor (101: never). */
  readonly stepUpScore: number;
  /** A login scoring at least this is refused, whatever the factors (101: never). */
  readonly blockScore: number;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = Object.freeze({
  geoAnomalyPoints: 30,
  impossibleTravelKmh: 900,
  newDevicePoints: 20,
  velocityPoints: 40,
  velocityMaxAttempts: 5,
  velocityWindowSeconds: 300,
  credentialStuffingPoints: 30,
  credentialStuffingDistinctUsers: 10,
  credentialStuffingWindowSeconds: 300,
  stepUpScore: 50,
  blockScore: 90,
});

/** Inclusive bounds of each setting, for validation of tenant overrides. */
export const RISK_POLICY_BOUNDS: Readonly<Record<keyof RiskPolicy, readonly [number, number]>> = Object.freeze({
  geoAnomalyPoints: [0, 100],
  impossibleTravelKmh: [100, 20_000],
  newDevicePoints: [0, 100],
  velocityPoints: [0, 100],
  velocityMaxAttempts: [1, 1_000],
  velocityWindowSeconds: [10, 86_400],
  credentialStuffingPoints: [0, 100],
  credentialStuffingDistinctUsers: [2, 10_000],
  credentialStuffingWindowSeconds: [10, 86_400],
  stepUpScore: [1, 101],
  blockScore: [1, 101],
});

export function resolveRiskPolicy(overrides: Readonly<Record<string, unknown>> | null | undefined): RiskPolicy {
  const resolved: Record<string, number> = { ...DEFAULT_RISK_POLICY };
  for (const key of Object.keys(DEFAULT_RISK_POLICY)) {
    const value = overrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) resolved[key] = value;
  }
  return resolved as unknown as RiskPolicy;
}
