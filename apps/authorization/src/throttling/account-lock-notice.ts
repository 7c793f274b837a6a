import type { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { resolveRateLimitPolicy } from '@gatehouse/protocol';
import type { LockNoticeStore } from './lock-notice-store.js';
import { delayKeyOf as keyOf } from './progressive-delay.js';

/**
 * Whether the login page tells the person that this account is locked (docs/adr/0003).
 * Refused logins are counted per tenant and username, whether or not the username exists,
 * with the tenant's lockoutThreshold and lockoutSeconds: the notice appears after as many
 * failures for a made-up username as for a real one, and nothing a real account does (a
 * successful login) changes it, so it reveals no account. The lock itself is the database's
 * (users.locked_until); this only chooses the words.
 */
export class AccountLockNotice {
  constructor(
    private readonly store: LockNoticeStore,
    private readonly logger: GatehouseLogger,
    private readonly now: () => Date,
  ) {}

  /** Counts a refused login; true when the page should say the account is locked. */
  async isLockedAfterFailure(tenant: Tenant, username: string): Promise<boolean> {
    const policy = resolveRateLimitPolicy(tenant.rateLimitPolicy);
    try {
      return await this.store.fail(keyOf(tenant, username), this.now().getTime(), policy.lockoutThreshold, policy.lockoutSeconds * 1000);
    } catch (error) {
      this.logger.warn('Account lock notice store unavailable; the generic message is shown', { err: error });
      return false;
    }
  }
}
