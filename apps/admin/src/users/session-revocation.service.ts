import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import type { Repositories, Tenant, User } from '@gatehouse/persistence';
import { OptionalRedis, Persistence, publishRevocation } from '@gatehouse/persistence';
import { AdminProblem } from '../errors/admin-problem.js';
import { adminChangeEvent } from '../audit/admin-audit.service.js';
import { TenantService } from '../tenants/tenant.service.js';

export interface RevokedSessions {
  readonly sessions: number;
  readonly grants: number;
  readonly backchannelLogouts: number;
}

/** What one sign-out-everywhere changed, inside the caller's transaction. */
export interface RevokedInTransaction extends RevokedSessions {
  /** To announce to resource servers once the transaction has committed. */
  readonly grantIds: readonly string[];
}

/**
 * Signs a user out everywhere: ends every session, revokes every grant (refresh
 * token family, and with it the access tokens issued from it), queues the
 * back-channel logouts, in one transaction with its audit events.
 */
@Injectable()
export class SessionRevocationService {
  constructor(
    private readonly persistence: Persistence,
    private readonly redis: OptionalRedis,
    private readonly tenants: TenantService,
    private readonly clock: Clock,
  ) {}

  async revokeAll(tenantSlug: string, username: string, actor: string): Promise<RevokedSessions> {
    const tenant = await this.tenants.get(tenantSlug);
    const user = await this.persistence.repositories.users.findByUsername(tenant.id, username);
    if (!user) throw new AdminProblem('not_found', `unknown user "${username}"`, 'username');
    const now = this.clock.now();
    const result = await this.persistence.transaction(async (repos) => {
      const revoked = await this.revokeAllIn(repos, tenant, user, actor, now);
      await repos.auditOutbox.append(tenant.id, [
        adminChangeEvent(
          {
            actor,
            action: 'admin.user.sessions_revoked',
            target: user.id,
            before: null,
            after: { sessions: revoked.sessions, grants: revoked.grants, backchannel_logouts: revoked.backchannelLogouts },
          },
          now,
        ),
      ]);
      return revoked;
    });
    await this.announce(tenant, result.grantIds);
    return { sessions: result.sessions, grants: result.grants, backchannelLogouts: result.backchannelLogouts };
  }

  /** The revocation itself, with the caller's (transaction's) repositories; call `announce` after commit. */
  async revokeAllIn(repos: Repositories, tenant: Tenant, user: User, actor: string, now: Date): Promise<RevokedInTransaction> {
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
    return { sessions: sessionIds.length, grants: grantIds.length, grantIds, backchannelLogouts };
  }

  /** Tells resource servers (Redis pub/sub) which grants died, so cached tokens stop at once. Best effort: introspection still says no. */
  async announce(tenant: Tenant, grantIds: readonly string[]): Promise<void> {
    const redis = this.redis.client;
    if (redis && grantIds.length > 0)
      await publishRevocation(redis, tenant.id, { grantIds: [...grantIds] }, this.clock.now()).catch(() => false);
  }
}
