import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** JWT ids revoked before their expiry; rows can be pruned once expires_at has passed. */
export class RevokedTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async revoke(tenantId: TenantId, jtis: readonly string[], expiresAt: Date): Promise<void> {
    if (jtis.length === 0) return;
    await this.manager.query(
      `INSERT INTO revoked_tokens (tenant_id, jti, expires_at) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`,
      [tenantId, [...jtis], expiresAt],
    );
  }

  async isRevoked(tenantId: TenantId, jti: string): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(`SELECT 1 FROM revoked_tokens WHERE tenant_id = $1 AND jti = $2`, [tenantId, jti]);
    return rows.length > 0;
  }
}
