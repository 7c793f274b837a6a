import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import type { NewSigningKey, SigningAlgorithm, SigningKeyStorage, StoredSigningKey } from '@gatehouse/tokens';

/** Implements the key store's storage port; every method is scoped by tenant. */
export class SigningKeyRepository implements SigningKeyStorage {
  constructor(private readonly manager: EntityManager) {}

  async insert(tenantId: TenantId, key: NewSigningKey): Promise<void> {
    await this.manager.query(
      `INSERT INTO signing_keys (tenant_id, kid, alg, public_jwk, private_key_ciphertext, activates_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, key.kid, key.alg, JSON.stringify(key.publicJwk), key.privateKeyCiphertext, key.activatesAt],
    );
  }

  async findPublished(tenantId: TenantId, now: Date): Promise<StoredSigningKey[]> {
    return this.listPublished(tenantId, now);
  }

  /** The published keys (not expired at `now`), newest activation first, of one algorithm when `alg` is given. */
  async listPublished(tenantId: TenantId, now: Date, alg?: SigningAlgorithm): Promise<StoredSigningKey[]> {
    const rows = await this.manager.query<SigningKeyRow[]>(
      `SELECT ${COLUMNS} FROM signing_keys
       WHERE tenant_id = $1 AND (expires_at IS NULL OR expires_at > $2) AND ($3::text IS NULL OR alg = $3)
       ORDER BY activates_at DESC, created_at DESC`,
      [tenantId, now, alg ?? null],
    );
    return rows.map(toStored);
  }

  /**
   * Platform-wide, for readiness: each active tenant that has no key signing at `now`, or whose
   * signing for some algorithm ends before `warnBefore` (no successor takes over). One aggregate
   * statement, so the check stays cheap with many tenants.
   */
  async findSigningGaps(now: Date, warnBefore: Date, limit = 20): Promise<SigningGaps> {
    const rows = await this.manager.query<GapRow[]>(
      `WITH per_alg AS (
         SELECT tenant_id, alg,
                bool_or(activates_at <= $1 AND (deactivates_at IS NULL OR deactivates_at > $1)) AS signing,
                max(COALESCE(LEAST(deactivates_at, expires_at), 'infinity'::timestamptz)) AS signs_until
           FROM signing_keys
          WHERE expires_at IS NULL OR expires_at > $1
          GROUP BY tenant_id, alg),
       gaps AS (
         SELECT t.slug, COALESCE(bool_or(p.signing), false) AS signing, NULLIF(min(p.signs_until), 'infinity') AS signs_until
           FROM tenants t LEFT JOIN per_alg p ON p.tenant_id = t.id
          WHERE t.status = 'active'
          GROUP BY t.id, t.slug
         HAVING NOT COALESCE(bool_or(p.signing), false) OR min(p.signs_until) < $2)
       SELECT slug, signing, signs_until, count(*) OVER () AS total FROM gaps ORDER BY signs_until NULLS FIRST, slug LIMIT $3`,
      [now, warnBefore, limit],
    );
    return {
      total: Number(rows[0]?.total ?? 0),
      tenants: rows.map((row) => ({
        slug: row.slug,
        signing: row.signing,
        signsUntil: row.signs_until === null ? null : new Date(row.signs_until),
      })),
    };
  }

  async supersede(tenantId: TenantId, alg: SigningAlgorithm, successorActivatesAt: Date, expiresAt: Date): Promise<number> {
    const [, affected] = await this.manager.query<[unknown[], number]>(
      `UPDATE signing_keys SET deactivates_at = $3, expires_at = $4
       WHERE tenant_id = $1 AND alg = $2 AND deactivates_at IS NULL AND activates_at < $3`,
      [tenantId, alg, successorActivatesAt, expiresAt],
    );
    return affected;
  }
}

export interface SigningGaps {
  /** How many tenants have a gap; `tenants` lists the first few, soonest first. */
  readonly total: number;
  readonly tenants: readonly { readonly slug: string; readonly signing: boolean; readonly signsUntil: Date | null }[];
}

interface GapRow {
  slug: string;
  signing: boolean;
  signs_until: Date | string | null;
  total: string | number;
}

const COLUMNS = 'kid, alg, public_jwk, private_key_ciphertext, activates_at, deactivates_at, expires_at, created_at';

interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: Record<string, unknown>;
  private_key_ciphertext: string;
  activates_at: Date;
  deactivates_at: Date | null;
  expires_at: Date | null;
  created_at: Date;
}

function toStored(row: SigningKeyRow): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg as SigningAlgorithm,
    publicJwk: row.public_jwk,
    privateKeyCiphertext: row.private_key_ciphertext,
    activatesAt: row.activates_at,
    deactivatesAt: row.deactivates_at,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}
