import type { Infrastructure } from '@gatehouse/persistence';
import { publishRevocation } from '@gatehouse/persistence';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';

export interface RevokedSessions {
  readonly sessions: number;
  readonly grants: number;
  readonly backchannelLogouts: number;
}

/**
 * Signs a user out everywhere: ends every session, revokes every grant (refresh
 * token family, and with it the access tokens issued from it), queues the
 * back-channel logouts, in one transaction with its audit event.
 */
export class SessionRevocationService {
  constructor(
    private readonly infrastructure: Pick<Infrastructure, 'persistence' | 'redis'>,
    private readonly tenants: TenantService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async revokeAll(tenantSlug: string, username: string, actor: string): Promise<RevokedSessions> {
    const tenant = await this.tenants.get(tenantSlug);
    const { persistence } = this.infrastructure;
    const user = await persistence.repositories.users.findByUsername(tenant.id, username);
    if (!user) throw new AdminProblem('validation_failed', `unknown user "${username}" in tenant "${tenant.slug}"`, 'username');
    const now = this.now();
    const result = await persistence.transaction(async (repos) => {
      const sessionIds = await repos.sessions.endAllForUser(tenant.id, user.id, now);
      let backchannelLogouts = 0;
      for (const sessionId of sessionIds)
        backchannelLogouts += await repos.backchannelLogoutJobs.enqueueForSession(tenant.id, sessionId, user.id);
      const grantIds = await repos.refreshTokens.revokeAllForUser(tenant.id, user.id, 'revoked_by_admin', now);
      await repos.auditOutbox.append(tenant.id, [
        {
          type: 'user.sessions_revoked',
          outcome: 'success',
          occurredAt: now,
          userId: user.id,
          details: { actor, sessions: sessionIds.length, grants: grantIds.length },
        },
      ]);
      return { sessions: sessionIds.length, grantIds, backchannelLogouts };
    });
    const redis = this.infrastructure.redis;
    if (redis) await publishRevocation(redis.client, tenant.id, { grantIds: result.grantIds }, now).catch(() => false);
    return { sessions: result.sessions, grants: result.grantIds.length, backchannelLogouts: result.backchannelLogouts };
  }
}
