import { CLIENT_RATE_LIMIT_BOUNDS } from '@gatehouse/protocol';
import { parsePolicyOverrides } from '../tenants/tenant-policy.js';

/**
 * `rate_limit_policy` on a client: overrides of the tenant's endpoint limits (docs/adr/0009), snake_case
 * on the wire. Only the endpoint limits: lockout and login throttling are the tenant's. `{}` clears them.
 */
export function parseClientRateLimits(value: unknown): Record<string, number> | undefined {
  return parsePolicyOverrides('rate_limit_policy', value, CLIENT_RATE_LIMIT_BOUNDS);
}
