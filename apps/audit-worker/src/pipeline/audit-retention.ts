import type { GatehouseLogger } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';

const OUTBOX_KEEP_MS = 86_400_000;

/**
 * Per-tenant retention (tenants.audit_retention_days): the oldest records of a tenant's chain
 * go, and verification then starts from the oldest that remains; outbox rows an earlier version
 * marked recorded instead of deleting them go after a day. The only code path that deletes audit
 * records.
 */
export class AuditRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly persistence: Persistence,
    private readonly logger: GatehouseLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(intervalMs = 3_600_000): void {
    this.timer = setInterval(
      () => void this.runOnce().catch((error: unknown) => this.logger.error('audit retention failed', { error: String(error) })),
      intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async runOnce(): Promise<{ records: number; outbox: number }> {
    const now = this.now().getTime();
    let records = 0;
    for (const tenant of await this.persistence.repositories.auditRecords.retentionPolicies()) {
      // The delete and the new chain anchor commit together: verification never sees one without the other.
      records += await this.persistence.transaction((repos) =>
        repos.auditRecords.deleteOlderThan(tenant.tenantId, new Date(now - tenant.retentionDays * 86_400_000)),
      );
    }
    const outbox = await this.persistence.repositories.auditOutbox.pruneRecorded(new Date(now - OUTBOX_KEEP_MS));
    if (records > 0 || outbox > 0) this.logger.info('audit retention', { records, outbox });
    return { records, outbox };
  }
}
