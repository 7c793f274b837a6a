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

  async supersede(tenantId: TenantId, alg: SigningAlgorithm, successorActivatesAt: Date, expiresAt: Date): Promise<number> {
    const result = await this.manager.update(
      SigningKeyEntity,
      { tenantId, alg, deactivatesAt: IsNull(), activatesAt: LessThan(successorActivatesAt) },
      { deactivatesAt: successorActivatesAt, expiresAt },
    );
    return result.affected ?? 0;
  }
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
