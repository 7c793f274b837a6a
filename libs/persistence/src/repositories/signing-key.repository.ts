import { IsNull, LessThan, MoreThan, type EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import type { NewSigningKey, SigningAlgorithm, SigningKeyStorage, StoredSigningKey } from '@gatehouse/tokens';
import { SigningKeyEntity } from '../entities/signing-key.entity.js';

/** Implements the key store's storage port; every method is scoped by tenant. */
export class SigningKeyRepository implements SigningKeyStorage {
  constructor(private readonly manager: EntityManager) {}

  async insert(tenantId: TenantId, key: NewSigningKey): Promise<void> {
    await this.manager.insert(SigningKeyEntity, {
      tenantId,
      kid: key.kid,
      alg: key.alg,
      publicJwk: { ...key.publicJwk },
      privateKeyCiphertext: key.privateKeyCiphertext,
      activatesAt: key.activatesAt,
    });
  }

  async findPublished(tenantId: TenantId, now: Date): Promise<StoredSigningKey[]> {
    const rows = await this.manager.find(SigningKeyEntity, {
      where: [
        { tenantId, expiresAt: IsNull() },
        { tenantId, expiresAt: MoreThan(now) },
      ],
      order: { activatesAt: 'DESC', createdAt: 'DESC' },
    });
    return rows.map(toStored);
  }

  /** The published keys (findPublished's set and order), of one algorithm when `alg` is given. */
  async listPublished(tenantId: TenantId, now: Date, alg?: SigningAlgorithm): Promise<StoredSigningKey[]> {
    const where = alg === undefined ? { tenantId } : { tenantId, alg };
    const rows = await this.manager.find(SigningKeyEntity, {
      where: [
        { ...where, expiresAt: IsNull() },
        { ...where, expiresAt: MoreThan(now) },
      ],
      order: { activatesAt: 'DESC', createdAt: 'DESC' },
    });
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
    const result = await this.manager.update(
      SigningKeyEntity,
      { tenantId, alg, deactivatesAt: IsNull(), activatesAt: LessThan(successorActivatesAt) },
      { deactivatesAt: successorActivatesAt, expiresAt },
    );
    return result.affected ?? 0;
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

function toStored(row: SigningKeyEntity): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg as SigningAlgorithm,
    publicJwk: row.publicJwk,
    privateKeyCiphertext: row.privateKeyCiphertext,
    activatesAt: row.activatesAt,
    deactivatesAt: row.deactivatesAt,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}
