import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

export interface BackchannelLogoutJob {
  readonly id: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly uri: string;
  readonly logoutToken: string;
  readonly attempts: number;
}

interface JobRow {
  id: string;
  tenant_id: string;
  client_id: string;
  uri: string;
  logout_token: string;
  attempts: number;
}

/** Back-channel logout deliveries, written with the session's end and retried by the worker. */
export class BackchannelLogoutJobRepository {
  constructor(private readonly manager: EntityManager) {}

  async enqueue(tenantId: TenantId, job: { clientId: string; uri: string; logoutToken: string }): Promise<void> {
    await this.manager.query(`INSERT INTO backchannel_logout_jobs (tenant_id, client_id, uri, logout_token) VALUES ($1, $2, $3, $4)`, [
      tenantId,
      job.clientId,
      job.uri,
      job.logoutToken,
    ]);
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
       RETURNING id, tenant_id, client_id, uri, logout_token, attempts`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      uri: row.uri,
      logoutToken: row.logout_token,
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
