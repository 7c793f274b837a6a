/**
 * When a tenant's users give a second factor. Tenants store only their overrides
 * (`tenants.mfa_policy`); `resolveMfaPolicy` fills in the defaults.
 */
export interface MfaPolicy {
  /** `when_enrolled`: users with a factor give it (and clients may ask with acr_values); `required`: every user enrols and gives one. */
  readonly secondFactor: 'when_enrolled' | 'required';
  /**
   * A risky login (at or above the risk policy's stepUpScore) by a user without a factor:
   * `refuse` it with the generic message, or let the user `enrol` one first. Enrolling under a
   * stolen password would hand the attacker the factor, so refusing is the default.
   */
  readonly stepUpWithoutFactor: 'refuse' | 'enrol';
}

export const DEFAULT_MFA_POLICY: MfaPolicy = Object.freeze({ secondFactor: 'when_enrolled', stepUpWithoutFactor: 'refuse' });

/** The allowed values of each setting, for validation of tenant overrides. */
export const MFA_POLICY_CHOICES: Readonly<Record<keyof MfaPolicy, readonly string[]>> = Object.freeze({
  secondFactor: ['when_enrolled', 'required'],
  stepUpWithoutFactor: ['refuse', 'enrol'],
});

export function resolveMfaPolicy(overrides: Readonly<Record<string, unknown>> | null | undefined): MfaPolicy {
  const resolved: Record<string, string> = { ...DEFAULT_MFA_POLICY };
  for (const [key, choices] of Object.entries(MFA_POLICY_CHOICES)) {
    const value = overrides?.[key];
    if (typeof value === 'string' && choices.includes(value)) resolved[key] = value;
  }
  return resolved as unknown as MfaPolicy;
}
