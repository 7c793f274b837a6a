import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

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
}
