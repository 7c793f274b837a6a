import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

export interface BackchannelLogoutJob {
  readonly id: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly uri: string;
  /** The logout token is minted at delivery (fresh iat/exp on every attempt) for this subject and session. */
  readonly userId: string;
  readonly sessionId: string | null;
  readonly attempts: number;
}

interface JobRow {
  id: string;
  tenant_id: string;
  client_id: string;
  uri: string;
  user_id: string;
  session_id: string | null;
  attempts: number;
}

/** Back-channel logout deliveries, written with the session's end and retried by the worker. */
export class BackchannelLogoutJobRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * One job per client of the session that registered a backchannel_logout_uri
   * (OIDC Back-Channel Logout §2.5), in the caller's transaction.
   */
  async enqueueForSession(tenantId: TenantId, sessionId: string, userId: string): Promise<number> {
    const rows = await this.manager.query<{ id: string }[]>(
      `INSERT INTO backchannel_logout_jobs (tenant_id, client_id, uri, user_id, session_id)
       SELECT c.tenant_id, c.client_id, c.backchannel_logout_uri, $3, $2 FROM clients c
       WHERE c.tenant_id = $1 AND c.backchannel_logout_uri IS NOT NULL AND c.client_id IN (
         SELECT client_id FROM authorization_codes WHERE tenant_id = $1 AND session_id = $2
         UNION SELECT client_id FROM refresh_token_families WHERE tenant_id = $1 AND session_id = $2)
       RETURNING id`,
      [tenantId, sessionId, userId],
    );
    return rows.length;
  }

  /**
   * Claims due jobs: FOR UPDATE SKIP LOCKED so several workers never take the same
   * one, and the next attempt is pushed out before delivery so a crash retries later.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<BackchannelLogoutJob[]> {
    const [rows] = await this.manager.query<[JobRow[], number]>(
      `UPDATE backchannel_logout_jobs SET attempts = attempts + 1, next_attempt_at = $2
       WHERE id IN (SELECT id FROM backchannel_logout_jobs WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, tenant_id, client_id, uri, user_id, session_id, attempts`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      uri: row.uri,
      userId: row.user_id,
      sessionId: row.session_id,
      attempts: row.attempts,
    }));
  }

  async markDelivered(id: string, now: Date): Promise<void> {
    await this.manager.query(`UPDATE backchannel_logout_jobs SET delivered_at = $2, last_error = NULL WHERE id = $1`, [id, now]);
  }

  async markRetry(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.manager.query(`UPDATE backchannel_logout_jobs SET last_error = $2, next_attempt_at = $3 WHERE id = $1`, [
      id,
      error.slice(0, 500),
      nextAttemptAt,
    ]);
  }

  async markFailed(id: string, error: string, now: Date): Promise<void> {
    await this.manager.query(`UPDATE backchannel_logout_jobs SET last_error = $2, failed_at = $3 WHERE id = $1`, [
      id,
      error.slice(0, 500),
      now,
    ]);
  }

  async listByTenant(
    tenantId: TenantId,
  ): Promise<{ clientId: string; attempts: number; deliveredAt: Date | null; failedAt: Date | null }[]> {
    const rows = await this.manager.query<{ client_id: string; attempts: number; delivered_at: Date | null; failed_at: Date | null }[]>(
      `SELECT client_id, attempts, delivered_at, failed_at FROM backchannel_logout_jobs WHERE tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    );
    return rows.map((row) => ({ clientId: row.client_id, attempts: row.attempts, deliveredAt: row.delivered_at, failedAt: row.failed_at }));
  }
}
