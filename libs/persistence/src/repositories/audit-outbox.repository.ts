import type { EntityManager } from 'typeorm';
import type { AuditEvent, AuditOutbox } from '@gatehouse/audit';

/** The audit outbox: events written in the caller's transaction, one multi-row INSERT per batch. */
export class AuditOutboxRepository implements AuditOutbox {
  constructor(private readonly manager: EntityManager) {}

  async append(tenantId: string, events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const values: unknown[] = [];
    const tuples = events.map((event, index) => {
      const { type, outcome, occurredAt, ...payload } = event;
      values.push(tenantId, type, outcome, occurredAt, JSON.stringify(payload));
      const base = index * 5;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5})`;
    });
    await this.manager.query(
      `INSERT INTO audit_outbox (tenant_id, type, outcome, occurred_at, payload) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /** Oldest first; for tests and the relay. */
  async listByTenant(tenantId: string, limit = 100): Promise<(AuditEvent & { id: string })[]> {
    const rows = await this.manager.query<
      { id: string; type: AuditEvent['type']; outcome: AuditEvent['outcome']; occurred_at: Date; payload: Record<string, unknown> }[]
    >(`SELECT id, type, outcome, occurred_at, payload FROM audit_outbox WHERE tenant_id = $1 ORDER BY occurred_at, id LIMIT $2`, [
      tenantId,
      limit,
    ]);
    return rows.map((row) => ({ id: row.id, type: row.type, outcome: row.outcome, occurredAt: row.occurred_at, ...row.payload }));
  }
}
