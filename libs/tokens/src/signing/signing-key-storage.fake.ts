import type { TenantId } from '@gatehouse/protocol';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';
import type { NewSigningKey, SigningKeyStorage, StoredSigningKey } from '../keys/signing-key.storage.js';

/**
 * A test double of the key store's storage port, with the semantics of SigningKeyRepository.
 * It counts reads, and each read yields to the event loop first, as a database round trip does,
 * so concurrent callers really overlap. Used by the specs only; not exported from the lib.
 */
export class FakeSigningKeyStorage implements SigningKeyStorage {
  findPublishedCalls = 0;
  /** Set to make the next reads fail. */
  failReads = false;
  private readonly rows = new Map<TenantId, StoredSigningKey[]>();
  private sequence = 0;

  insert(tenantId: TenantId, key: NewSigningKey): Promise<void> {
    // createdAt only orders rows; a counter keeps it strictly increasing.
    const row = { ...key, deactivatesAt: null, expiresAt: null, createdAt: new Date(++this.sequence) };
    this.rows.set(tenantId, [...this.all(tenantId), row]);
    return Promise.resolve();
  }

  async findPublished(tenantId: TenantId, now: Date): Promise<StoredSigningKey[]> {
    this.findPublishedCalls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failReads) throw new Error('storage unavailable');
    return this.all(tenantId)
      .filter((row) => row.expiresAt === null || row.expiresAt > now)
      .sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime() || b.createdAt.getTime() - a.createdAt.getTime());
  }

  supersede(tenantId: TenantId, alg: SigningAlgorithm, successorActivatesAt: Date, expiresAt: Date): Promise<number> {
    let count = 0;
    const rows = this.all(tenantId).map((row) => {
      if (row.alg !== alg || row.deactivatesAt !== null || row.activatesAt >= successorActivatesAt) return row;
      count += 1;
      return { ...row, deactivatesAt: successorActivatesAt, expiresAt };
    });
    this.rows.set(tenantId, rows);
    return Promise.resolve(count);
  }

  /** Every row of the tenant, expired or not: what a test copies or inspects. */
  all(tenantId: TenantId): StoredSigningKey[] {
    return this.rows.get(tenantId) ?? [];
  }
}
