import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

export interface Consent {
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** When scopes were last granted (consents widen, so this is the latest grant). */
  readonly grantedAt: Date;
}

/** Scopes a user has granted a client; a later request within them needs no consent page. */
export class ConsentRepository {
  constructor(private readonly manager: EntityManager) {}

  async findScopes(tenantId: TenantId, userId: string, clientId: string): Promise<string[]> {
    const rows = await this.manager.query<{ scopes: string[] }[]>(
      `SELECT scopes FROM consents WHERE tenant_id = $1 AND user_id = $2 AND client_id = $3`,
      [tenantId, userId, clientId],
    );
    return rows[0]?.scopes ?? [];
  }

  /** Adds to what was granted before (a union, never a narrowing). */
  async grant(tenantId: TenantId, userId: string, clientId: string, scopes: readonly string[], now: Date): Promise<void> {
    await this.manager.query(
      `INSERT INTO consents (tenant_id, user_id, client_id, scopes, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, user_id, client_id) DO UPDATE
       SET scopes = ARRAY(SELECT DISTINCT unnest(consents.scopes || EXCLUDED.scopes)), updated_at = EXCLUDED.updated_at`,
      [tenantId, userId, clientId, [...scopes], now],
    );
  }

  /** Keyset pagination by client_id; with `clientId`, only that client's consent. */
  async listForUser(
    tenantId: TenantId,
    userId: string,
    afterClientId: string | null,
    limit: number,
    clientId: string | null = null,
  ): Promise<Consent[]> {
    const rows = await this.manager.query<{ client_id: string; scopes: string[]; updated_at: Date }[]>(
      `SELECT client_id, scopes, updated_at FROM consents
       WHERE tenant_id = $1 AND user_id = $2 AND ($3::varchar IS NULL OR client_id > $3) AND ($5::varchar IS NULL OR client_id = $5)
       ORDER BY client_id ASC LIMIT $4`,
      [tenantId, userId, afterClientId, limit, clientId],
    );
    return rows.map((row) => ({ clientId: row.client_id, scopes: row.scopes, grantedAt: row.updated_at }));
  }

  /** Withdraws a consent; the scopes it held, or null when there was none. */
  async revoke(tenantId: TenantId, userId: string, clientId: string): Promise<string[] | null> {
    const [rows] = await this.manager.query<[{ scopes: string[] }[], number]>(
      `DELETE FROM consents WHERE tenant_id = $1 AND user_id = $2 AND client_id = $3 RETURNING scopes`,
      [tenantId, userId, clientId],
    );
    return rows[0]?.scopes ?? null;
  }
}
