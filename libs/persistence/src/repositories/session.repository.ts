import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** A browser's signed-in state at one tenant (SSO), found by the hash of its cookie. */
export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly expiresAt: Date;
}

interface SessionRow {
  id: string;
  user_id: string;
  auth_time: Date;
  amr: string[];
  expires_at: Date;
}

export class SessionRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(
    tenantId: TenantId,
    session: { userId: string; tokenHash: string; authTime: Date; amr: readonly string[]; expiresAt: Date },
  ): Promise<string> {
    const rows = await this.manager.query<{ id: string }[]>(
      `INSERT INTO sessions (tenant_id, user_id, token_hash, auth_time, amr, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [tenantId, session.userId, session.tokenHash, session.authTime, [...session.amr], session.expiresAt],
    );
    return rows[0]?.id ?? '';
  }

  async findActive(tenantId: TenantId, tokenHash: string, now: Date): Promise<Session | null> {
    const rows = await this.manager.query<SessionRow[]>(
      `SELECT s.id, s.user_id, s.auth_time, s.amr, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.tenant_id = $1 AND s.token_hash = $2 AND s.ended_at IS NULL AND s.expires_at > $3 AND u.status = 'active'`,
      [tenantId, tokenHash, now],
    );
    const row = rows[0];
    return row ? { id: row.id, userId: row.user_id, authTime: row.auth_time, amr: row.amr, expiresAt: row.expires_at } : null;
  }

  async end(tenantId: TenantId, id: string, now: Date): Promise<void> {
    await this.manager.query(`UPDATE sessions SET ended_at = $3 WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL`, [
      tenantId,
      id,
      now,
    ]);
  }
}
