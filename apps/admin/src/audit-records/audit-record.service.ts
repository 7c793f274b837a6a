import { Injectable } from '@nestjs/common';
import type { AuditRecord } from '@gatehouse/audit';
import { Persistence, type AuditRecordFilter, type Tenant } from '@gatehouse/persistence';
import { TenantService } from '../tenants/tenant.service.js';
import { AuditChainVerifier, type ChainVerification } from './audit-chain.verifier.js';
import type { TimeRange } from './audit-records.query.js';

const EXPORT_BATCH = 1000;

/** Read-only access to a tenant's audit records: queries, chain verification, export pages, live tail. */
@Injectable()
export class AuditRecordService {
  private readonly verifier: AuditChainVerifier;

  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
  ) {
    this.verifier = new AuditChainVerifier(persistence.repositories.auditRecords);
  }

  tenant(slug: string): Promise<Tenant> {
    return this.tenants.get(slug);
  }

  /** Newest first; `beforeSequence` (exclusive) continues a previous page. */
  async list(slug: string, filter: AuditRecordFilter, beforeSequence: number | null, limit: number): Promise<AuditRecord[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.auditRecords.list(tenant.id, filter, beforeSequence, limit);
  }

  async verify(slug: string): Promise<ChainVerification> {
    const tenant = await this.tenants.get(slug);
    return this.verifier.verify(tenant.id);
  }

  /** Where a live tail starts without Last-Event-ID: the current head, so only new records follow. */
  async headSequence(tenant: Tenant): Promise<number> {
    return (await this.persistence.repositories.auditRecords.head(tenant.id))?.sequence ?? 0;
  }

  /** Records after a chain position, oldest first. */
  after(tenant: Tenant, sequence: number, limit: number): Promise<AuditRecord[]> {
    return this.persistence.repositories.auditRecords.after(tenant.id, sequence, limit);
  }

  /**
   * A time range oldest first, one page in memory at a time: the caller pulls the next
   * page only when it has written the last one.
   */
  async *exportRange(tenant: Tenant, range: TimeRange): AsyncGenerator<AuditRecord> {
    const records = this.persistence.repositories.auditRecords;
    let position = range.since ? await records.sequenceBefore(tenant.id, range.since) : 0;
    for (;;) {
      const page = await records.after(tenant.id, position, EXPORT_BATCH, range.until);
      for (const record of page) {
        // Sequence order is arrival order; an event that happened earlier may arrive a little later.
        if (!range.since || record.occurredAt >= range.since) yield record;
      }
      const last = page.at(-1);
      if (!last || page.length < EXPORT_BATCH) return;
      position = last.sequence;
    }
  }
}
