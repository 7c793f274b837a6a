import type { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { resolveRateLimitPolicy } from '@gatehouse/protocol';
import type { FixedWindowCounter } from './fixed-window-counter.js';
import type { ThrottleDecision } from './login-throttle.js';

/**
 * Token endpoint requests per authenticated client per tenant per minute (the tenant's
 * tokenRequestsPerClientPerMinute), every grant type. Counted after client authentication, so
 * requests made with a client's id but without its credentials cannot spend its budget. One
 * counter round trip; if the store is unreachable the request goes through (logged) rather than
 * taking the token endpoint down with it.
 */
export class TokenRateLimit {
  constructor(
    private readonly counter: FixedWindowCounter,
    private readonly logger: GatehouseLogger,
    private readonly now: () => Date,
  ) {}

  async request(tenant: Tenant, clientId: string): Promise<ThrottleDecision> {
    const limit = resolveRateLimitPolicy(tenant.rateLimitPolicy).tokenRequestsPerClientPerMinute;
    try {
      const { count, resetsAt } = await this.counter.hit(`token-client:${tenant.id}:${clientId}`, 60);
      if (count <= limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - this.now().getTime()) / 1000)) };
    } catch (error) {
      this.logger.warn('Token rate-limit counter unavailable; request allowed', { err: error });
      return { allowed: true };
    }
  }
}
