import { createHash } from 'node:crypto';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { resolveRateLimitPolicy } from '@gatehouse/protocol';
import type { LockNoticeStore } from './lock-notice-store.js';

/** From this many refused logins for one username, the next waits (docs/adr/0003). */
export const DELAY_AFTER_FAILURES = 3;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** 1 s after the 3rd failure, doubling with each one, at most 30 s; none before. */
export function progressiveDelayMs(failures: number): number {
  if (failures < DELAY_AFTER_FAILURES) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - DELAY_AFTER_FAILURES), MAX_DELAY_MS);
}

/**
 * The progressive delay before the temporary lock (docs/adr/0003): an attempt for a username that
 * failed recently is refused, without its password being checked, until the delay since the last
 * failure has passed. It reads the per-username tally of the lock notice, which counts made-up
 * usernames exactly like real ones, so the delay never reveals whether an account exists; and a
 * refusal costs one Redis read, never a sleeping request.
 */
export class ProgressiveDelay {
  constructor(
    private readonly store: LockNoticeStore,
    private readonly logger: GatehouseLogger,
    private readonly now: () => Date,
  ) {}

  /** Seconds this username must still wait; 0 to check the password. */
  async retryAfterSeconds(tenant: Tenant, username: string): Promise<number> {
    const policy = resolveRateLimitPolicy(tenant.rateLimitPolicy);
    const now = this.now().getTime();
    try {
      const recent = await this.store.failures(delayKeyOf(tenant, username), now, policy.lockoutSeconds * 1000);
      if (!recent) return 0;
      const waitMs = recent.last + progressiveDelayMs(recent.count) - now;
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    } catch (error) {
      // Fails open: the database lockout still bounds the guesses.
      this.logger.warn('Progressive delay store unavailable; the attempt goes on', { err: error });
      return 0;
    }
  }
}

/** The lock notice's key: hashed, so the store holds no usernames. */
export function delayKeyOf(tenant: Tenant, username: string): string {
  return `${tenant.id}:${createHash('sha256').update(username.toLowerCase()).digest('base64url')}`;
}
