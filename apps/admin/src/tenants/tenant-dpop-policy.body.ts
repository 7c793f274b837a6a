import { DPOP_PROOF_MAX_AGE_BOUNDS } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';

const BOOLEANS = { enabled: 'enabled', require_nonce: 'requireNonce' } as const;

/**
 * `dpop_policy` (RFC 9449) from the wire as the overrides the tenant stores: `enabled` and
 * `require_nonce` booleans, `proof_max_age_seconds` an integer within its bounds. Replaces the stored
 * overrides; `{}` returns to the defaults (DPoP off).
 */
export function parseDpopPolicy(value: unknown): Record<string, number | boolean> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new AdminProblem('validation_failed', 'dpop_policy must be an object of settings', 'dpop_policy');
  const overrides: Record<string, number | boolean> = {};
  for (const [wireName, setting] of Object.entries(value as Record<string, unknown>)) {
    const field = `dpop_policy.${wireName}`;
    if (wireName in BOOLEANS) {
      if (typeof setting !== 'boolean') throw new AdminProblem('validation_failed', `${field} must be true or false`, field);
      overrides[BOOLEANS[wireName as keyof typeof BOOLEANS]] = setting;
    } else if (wireName === 'proof_max_age_seconds') {
      const [min, max] = DPOP_PROOF_MAX_AGE_BOUNDS;
      if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < min || setting > max)
        throw new AdminProblem('validation_failed', `${field} must be an integer from ${min} to ${max}`, field);
      overrides['proofMaxAgeSeconds'] = setting;
    } else {
      throw new AdminProblem('validation_failed', `${field} is not a setting of dpop_policy`, field);
    }
  }
  return overrides;
}
