import type { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { resolveRateLimitPolicy } from '@gatehouse/protocol';
import type { FixedWindowCounter } from './fixed-window-counter.js';

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Login attempts per client IP per tenant per minute (the tenant's
 * loginAttemptsPerIpPerMinute). It slows password guessing across many accounts,
 * which the per-account lockout cannot see. If the counter store is unreachable the
 * attempt is let through (logged): the per-account lockout in the database still holds.
 */
export class LoginThrottle {
  constructor(
    private readonly counter: FixedWindowCounter,
    private readonly logger: GatehouseLogger,
    private readonly now: () => Date,
  ) {}

  async attempt(tenant: Tenant, ip: string | undefined): Promise<ThrottleDecision> {
    const limit = resolveRateLimitPolicy(tenant.rateLimitPolicy).loginAttemptsPerIpPerMinute;
    try {
      const { count, resetsAt } = await this.counter.hit(`login-ip:${tenant.id}:${ip ?? 'unknown'}`, 60);
      if (count <= limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - this.now().getTime()) / 1000)) };
    } catch (error) {
      this.logger.warn('Login throttle counter unavailable; attempt allowed', { err: error });
      return { allowed: true };
    }
  }
}
