import type { EntityManager } from 'typeorm';

export interface OutboxBacklog {
  readonly depth: number;
  /** When the oldest unrecorded event happened; null when the outbox is drained. */
  readonly oldestOccurredAt: Date | null;
}

export interface ActiveSigningKeyAge {
  readonly tenantSlug: string;
  /** When the tenant's oldest active key began signing. */
  readonly activeSince: Date;
  /** The earliest expiry among its active keys, if any has one. */
  readonly expiresAt: Date | null;
}

/**
 * Platform-wide readings for metrics gauges, across tenants by design: aggregates only, read
 * at most every few seconds on a scrape. Never a path for tenant data.
 */
export class OperationalReadingsRepository {
  constructor(private readonly manager: EntityManager) {}

  async outboxBacklog(): Promise<OutboxBacklog> {
    const rows = await this.manager.query<{ depth: string; oldest: Date | null }[]>(
      `SELECT count(*) AS depth, min(occurred_at) AS oldest FROM audit_outbox WHERE recorded_at IS NULL`,
    );
    const oldest = rows[0]?.oldest ?? null;
    return { depth: Number(rows[0]?.depth ?? 0), oldestOccurredAt: oldest === null ? null : new Date(oldest) };
  }

  async activeSigningKeys(now: Date): Promise<ActiveSigningKeyAge[]> {
    const rows = await this.manager.query<{ slug: string; active_since: Date; expires_at: Date | null }[]>(
      `SELECT t.slug, min(k.activates_at) AS active_since, min(k.expires_at) AS expires_at
       FROM signing_keys k JOIN tenants t ON t.id = k.tenant_id
       WHERE t.status = 'active' AND k.activates_at <= $1 AND (k.deactivates_at IS NULL OR k.deactivates_at > $1)
       GROUP BY t.slug`,
      [now],
    );
    return rows.map((row) => ({
      tenantSlug: row.slug,
      activeSince: new Date(row.active_since),
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    }));
  }
}
