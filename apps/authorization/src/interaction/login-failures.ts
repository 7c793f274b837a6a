import type { RequestContext } from '@gatehouse/audit';
import type { Client, FailedLoginCount, LockoutPolicy, Persistence, Tenant } from '@gatehouse/persistence';
import { resolveRateLimitPolicy } from '@gatehouse/protocol';
import type { LoginRefusal } from './password-check.js';

/** The tenant's lockout settings as the failure counter takes them. */
export function lockoutPolicyOf(tenant: Tenant): LockoutPolicy {
  const policy = resolveRateLimitPolicy(tenant.rateLimitPolicy);
  return { threshold: policy.lockoutThreshold, lockoutSeconds: policy.lockoutSeconds, hardLockThreshold: policy.hardLockThreshold };
}

/** What a counted failure did, as audit details: the counts, a new temporary lock, the moment of the hard lock. */
export function failureDetails(counted: FailedLoginCount | null): Record<string, unknown> {
  if (!counted) return {};
  return {
    failed_login_count: counted.failedLoginCount,
    consecutive_failed_logins: counted.consecutiveFailedLogins,
    ...(counted.lockedUntil ? { locked_until: counted.lockedUntil.toISOString() } : {}),
    ...(counted.hardLockedNow ? { hard_locked: true } : {}),
  };
}

/** Refused logins: counted against the account and audited as `login.failed` with the real reason. */
export class LoginFailures {
  constructor(private readonly persistence: Persistence) {}

  /**
   * Counts the failure (one conditional UPDATE that may lock or hard-lock the account) and
   * audits it, in one transaction. The UPDATE runs by username for every refusal, a no-op for
   * an unknown, disabled or locked account, so each refusal costs the same round trips.
   * A `throttled` attempt (progressive delay) had no password checked: audited, not counted.
   */
  async record(
    tenant: Tenant,
    client: Client,
    username: string,
    reason: LoginRefusal,
    userId: string | undefined,
    context: RequestContext,
    now: Date,
  ): Promise<void> {
    await this.persistence.transaction(async (repos) => {
      const counted =
        reason !== 'throttled' && username.length <= 128
          ? await repos.users.recordFailedLogin(tenant.id, username, now, lockoutPolicyOf(tenant))
          : null;
      await repos.auditOutbox.append(tenant.id, [
        {
          type: 'login.failed',
          outcome: 'failure',
          occurredAt: now,
          clientId: client.clientId,
          userId,
          username: username.slice(0, 128),
          ...context,
          details: { reason, ...failureDetails(counted) },
        },
      ]);
    });
  }

  /**
   * A right password refused by the risk policy: recorded as login.failed with the decision and its
   * reasons. Not counted toward the lockout: the password was right, and the person may be
   * travelling; the page says what it says for every refusal.
   */
  async recordRiskRefusal(
    tenant: Tenant,
    client: Client,
    username: string,
    userId: string,
    context: RequestContext,
    now: Date,
    reason: 'risk_blocked' | 'step_up_without_factor',
    riskDetails: Record<string, unknown>,
  ): Promise<void> {
    await this.persistence.repositories.auditOutbox.append(tenant.id, [
      {
        type: 'login.failed',
        outcome: 'failure',
        occurredAt: now,
        clientId: client.clientId,
        userId,
        username: username.slice(0, 128),
        ...context,
        details: { reason, ...riskDetails },
      },
    ]);
  }
}
