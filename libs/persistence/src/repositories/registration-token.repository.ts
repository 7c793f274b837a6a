import type { EntityManager } from 'typeorm';
import { storedRegistrationPolicy, type RegistrationPolicy, type TenantId } from '@gatehouse/protocol';

export interface RegistrationToken {
  readonly id: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
  /** What clients registered with it may ask for (issue 10: never whatever the registrant asks). */
  readonly policy: RegistrationPolicy;
}

interface Row {
  id: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Date;
  policy: unknown;
}

const toToken = (row: Row): RegistrationToken => ({
  id: row.id,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
  policy: storedRegistrationPolicy(row.policy),
});

/** Initial access tokens (RFC 7591 §3), stored as hashes and scoped to one tenant. */
export class RegistrationTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(tenantId: TenantId, tokenHash: string, expiresAt: Date, policy: RegistrationPolicy): Promise<RegistrationToken> {
    const rows = await this.manager.query<Row[]>(
      `INSERT INTO registration_tokens (tenant_id, token_hash, expires_at, policy) VALUES ($1, $2, $3, $4::jsonb)
       RETURNING id, expires_at, revoked_at, created_at, policy`,
      [tenantId, tokenHash, expiresAt, JSON.stringify(policy)],
    );
    return toToken(rows[0] as Row);
  }

  async listByTenant(tenantId: TenantId): Promise<RegistrationToken[]> {
    const rows = await this.manager.query<Row[]>(
      `SELECT id, expires_at, revoked_at, created_at, policy FROM registration_tokens WHERE tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    );
    return rows.map(toToken);
  }

  /**
   * Keyset pagination on (created_at to the millisecond, id), the precision a cursor carries. `state`:
   * active (neither revoked nor expired at `now`), revoked, or expired (unrevoked, past expires_at).
   */
  async listPage(
    tenantId: TenantId,
    after: { readonly at: Date; readonly id: string } | null,
    limit: number,
    filter: { readonly state?: 'active' | 'revoked' | 'expired' | undefined; readonly now: Date },
  ): Promise<RegistrationToken[]> {
    const rows = await this.manager.query<Row[]>(
      `SELECT id, expires_at, revoked_at, created_at, policy FROM registration_tokens
       WHERE tenant_id = $1
         AND ($2::text IS NULL
              OR ($2 = 'active' AND revoked_at IS NULL AND expires_at > $3)
              OR ($2 = 'revoked' AND revoked_at IS NOT NULL)
              OR ($2 = 'expired' AND revoked_at IS NULL AND expires_at <= $3))
         AND ($4::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) > ($4::timestamptz, $5::uuid))
       ORDER BY date_trunc('milliseconds', created_at), id LIMIT $6`,
      [tenantId, filter.state ?? null, filter.now, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map(toToken);
  }

  /** The token if usable: this tenant's, unexpired and not revoked; null otherwise. */
  async findUsable(tenantId: TenantId, tokenHash: string, now: Date): Promise<RegistrationToken | null> {
    const rows = await this.manager.query<Row[]>(
      `SELECT id, expires_at, revoked_at, created_at, policy FROM registration_tokens
       WHERE tenant_id = $1 AND token_hash = $2 AND revoked_at IS NULL AND expires_at > $3`,
      [tenantId, tokenHash, now],
    );
    return rows[0] ? toToken(rows[0]) : null;
  }

  /** The revoked token as it is now, or null when this tenant has no such unrevoked token. */
  async revoke(tenantId: TenantId, id: string, now: Date): Promise<RegistrationToken | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const [rows] = await this.manager.query<[Row[], number]>(
      `UPDATE registration_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL
       RETURNING id, expires_at, revoked_at, created_at, policy`,
      [tenantId, id, now],
    );
    return rows[0] ? toToken(rows[0]) : null;
  }
}
