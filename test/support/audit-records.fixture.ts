import { randomUUID } from 'node:crypto';
import { chainHash, GENESIS_HASH, type AuditRecord, type UnhashedRecord } from '@gatehouse/audit';
import type { Persistence, Tenant } from '@gatehouse/persistence';

/** What a test says about a record; everything else gets a plain default. */
export type AuditRecordSpec = Partial<Omit<UnhashedRecord, 'tenantId' | 'tenantSlug' | 'sequence'>>;

/**
 * Appends records to a tenant's chain as the audit worker does: under the locked chain head,
 * hashed in order, one INSERT, the head advanced, all in one transaction.
 */
export async function appendAuditRecords(
  persistence: Persistence,
  tenant: Pick<Tenant, 'id' | 'slug'>,
  specs: readonly AuditRecordSpec[],
): Promise<AuditRecord[]> {
  return persistence.transaction(async (repos) => {
    const head = await repos.auditRecords.lockChainHead(tenant.id, GENESIS_HASH);
    let previous = head.hash;
    let sequence = head.sequence;
    const records = specs.map((spec): AuditRecord => {
      sequence += 1;
      const unhashed: UnhashedRecord = {
        id: randomUUID(),
        type: 'login.succeeded',
        outcome: 'success',
        occurredAt: new Date(),
        recordedAt: new Date(),
        geo: { kind: 'unknown' },
        risk: { score: 0, reasons: [] },
        ...spec,
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        sequence,
      };
      const record = { ...unhashed, previousHash: previous, hash: chainHash(previous, unhashed) };
      previous = record.hash;
      return record;
    });
    await repos.auditRecords.insertMany(records);
    await repos.auditRecords.advanceChainHead(tenant.id, { sequence, hash: previous });
    return records;
  });
}
