import { createHash } from 'node:crypto';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { resolveRateLimitPolicy } from '@gatehouse/protocol';
import type { FixedWindowCounter } from './fixed-window-counter.js';

/**
 * Whether the login page tells the person that this account is locked (docs/adr/0003).
 * Failures are counted per tenant and username, whether or not the username exists, in
 * windows of the tenant's lockoutSeconds: the notice appears after lockoutThreshold
 * failures for a made-up username exactly as for a real one, so it reveals no account.
 * The lock itself is the database's (users.locked_until); this only chooses the words.
 */
export class AccountLockNotice {
  constructor(
    private readonly counter: FixedWindowCounter,
    private readonly logger: GatehouseLogger,
  ) {}

  /** Counts a refused login; true when the page should say the account is locked. */
  async afterFailure(tenant: Tenant, username: string): Promise<boolean> {
    const policy = resolveRateLimitPolicy(tenant.rateLimitPolicy);
    try {
      const { count } = await this.counter.hit(keyOf(tenant, username), policy.lockoutSeconds);
      return count >= policy.lockoutThreshold;
    } catch (error) {
      this.logger.warn('Account lock notice counter unavailable; the generic message is shown', { err: error });
      return false;
    }
  }

  /** A successful login starts the count again, as the database's failure count does. */
  async afterSuccess(tenant: Tenant, username: string): Promise<void> {
    const policy = resolveRateLimitPolicy(tenant.rateLimitPolicy);
    await this.counter.clear(keyOf(tenant, username), policy.lockoutSeconds).catch((error: unknown) => {
      this.logger.warn('Account lock notice counter unavailable', { err: error });
    });
  }
}

/** Hashed: the store holds no usernames, and the key length is bounded. */
function keyOf(tenant: Tenant, username: string): string {
  return `login-user:${tenant.id}:${createHash('sha256').update(username.toLowerCase()).digest('base64url')}`;
}
