import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import type { AuditEvent, AuditOutbox, OutboxEvent } from '@gatehouse/audit';
import { outboxEntries, type OutboxEntry } from '../batching/group-commit-outbox.js';

/** The audit outbox: events written in the caller's transaction, one multi-row INSERT per batch. */
export class AuditOutboxRepository implements AuditOutbox {
  constructor(private readonly manager: EntityManager) {}

  async append(tenantId: TenantId, events: readonly AuditEvent[]): Promise<void> {
    await this.appendRows(outboxEntries(tenantId, events));
  }

  /** Rows of any tenants in one INSERT: the group commit's batch (libs/audit GroupCommitOutbox). */
  async appendRows(rows: readonly OutboxEntry[]): Promise<void> {
    if (rows.length === 0) return;
    const insert = outboxInsert(rows, 0);
    await this.manager.query(insert.sql, insert.values);
  }

  /** A tenant's rows still in transit, oldest first; for tests (no index leads with the tenant: the outbox is small). */
  async listByTenant(tenantId: TenantId, limit = 100): Promise<(AuditEvent & { id: string })[]> {
    const rows = await this.manager.query<
      { id: string; type: AuditEvent['type']; outcome: AuditEvent['outcome']; occurred_at: Date; payload: Record<string, unknown> }[]
    >(`SELECT id, type, outcome, occurred_at, payload FROM audit_outbox WHERE tenant_id = $1 ORDER BY occurred_at, id LIMIT $2`, [
      tenantId,
      limit,
    ]);
    return rows.map((row) => ({ id: row.id, type: row.type, outcome: row.outcome, occurredAt: row.occurred_at, ...row.payload }));
  }

  /**
   * The relay's claim: undispatched rows, oldest first, locked (SKIP LOCKED) for the caller's
   * transaction. The caller marks them dispatched in the same transaction only once Redis
   * accepted them, so a Redis outage leaves them waiting here.
   */
  async claimUndispatched(limit: number): Promise<OutboxEvent[]> {
    const rows = await this.manager.query<OutboxRow[]>(
      `SELECT id, tenant_id, type, outcome, occurred_at, payload FROM audit_outbox
       WHERE dispatched_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toOutboxEvent);
  }

  /** The direct consumer's claim (no Redis): unrecorded rows, locked for the caller's transaction. */
  async claimUnrecorded(limit: number): Promise<OutboxEvent[]> {
    const rows = await this.manager.query<OutboxRow[]>(
      `SELECT id, tenant_id, type, outcome, occurred_at, payload FROM audit_outbox
       WHERE recorded_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toOutboxEvent);
  }

  /** One unrecorded row by id, locked (SKIP LOCKED) for the caller: the one-at-a-time path after a batch failed. */
  async claimUnrecordedById(id: string): Promise<OutboxEvent | null> {
    const rows = await this.manager.query<OutboxRow[]>(
      `SELECT id, tenant_id, type, outcome, occurred_at, payload FROM audit_outbox
       WHERE id = $1 AND recorded_at IS NULL FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows[0] ? toOutboxEvent(rows[0]) : null;
  }

  /**
   * Rows dispatched before `before` and still unrecorded, locked for the caller: their job may
   * be gone (Redis restarted without persistence, a failover lost writes) or have failed for
   * good, and only the outbox can bring them back. Rare, so the partial unrecorded index serves it.
   */
  async claimStale(before: Date, limit: number): Promise<OutboxEvent[]> {
    const rows = await this.manager.query<OutboxRow[]>(
      `SELECT id, tenant_id, type, outcome, occurred_at, payload FROM audit_outbox
       WHERE recorded_at IS NULL AND dispatched_at < $1 ORDER BY occurred_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [before, limit],
    );
    return rows.map(toOutboxEvent);
  }

  /** Pushes the next staleness check of re-sent rows out. */
  async markRedispatched(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`UPDATE audit_outbox SET dispatched_at = $2 WHERE id = ANY($1::uuid[]) AND recorded_at IS NULL`, [ids, now]);
  }

  async markDispatched(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`UPDATE audit_outbox SET dispatched_at = $2 WHERE id = ANY($1::uuid[]) AND dispatched_at IS NULL`, [ids, now]);
  }

  /** Recorded rows leave the outbox in the transaction that recorded them: it holds only what is in transit. */
  async removeRecorded(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`DELETE FROM audit_outbox WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async countPending(): Promise<{ undispatched: number; unrecorded: number }> {
    const rows = await this.manager.query<{ undispatched: string; unrecorded: string }[]>(
      `SELECT count(*) FILTER (WHERE dispatched_at IS NULL) AS undispatched, count(*) FILTER (WHERE recorded_at IS NULL) AS unrecorded
       FROM audit_outbox WHERE recorded_at IS NULL`,
    );
    return { undispatched: Number(rows[0]?.undispatched ?? 0), unrecorded: Number(rows[0]?.unrecorded ?? 0) };
  }

  /** Rows recorded (marked, not deleted) by a version before 1765000000000 go a day after. */
  async pruneRecorded(before: Date): Promise<number> {
    const [, count] = await this.manager.query<[unknown[], number]>(`DELETE FROM audit_outbox WHERE recorded_at < $1`, [before]);
    return count;
  }
}

/**
 * What an outbox row's `payload` column holds: the event less the members that have columns of their own,
 * and the traceparent of the request that wrote it, given beside it (it wins over one the event carries).
 */
export function outboxPayload(event: AuditEvent, traceContext?: string): string {
  const { type: _type, outcome: _outcome, occurredAt: _occurredAt, ...rest } = event;
  const payload: Record<string, unknown> = rest;
  if (traceContext !== undefined) payload['traceContext'] = traceContext;
  return JSON.stringify(payload);
}

/**
 * The INSERT of outbox rows, its parameters numbered from `offset + 1`: a repository that writes
 * a state change and its audit events as one statement (a data-modifying WITH) embeds it.
 */
export function outboxInsert(
  rows: readonly OutboxEntry[],
  offset: number,
  options: { readonly onlyIfRowsIn?: string } = {},
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map(({ tenantId, event, traceContext }, index) => {
    values.push(tenantId, event.type, event.outcome, event.occurredAt, outboxPayload(event, traceContext));
    const base = offset + index * 5;
    return `($${base + 1}::uuid, $${base + 2}::varchar, $${base + 3}::varchar, $${base + 4}::timestamptz, $${base + 5}::jsonb)`;
  });
  const columns = 'INSERT INTO audit_outbox (tenant_id, type, outcome, occurred_at, payload)';
  // Conditional form: the rows are written only if the named WITH query (a state change) returned any.
  const sql = options.onlyIfRowsIn
    ? `${columns} SELECT * FROM (VALUES ${tuples.join(', ')}) AS event WHERE EXISTS (SELECT 1 FROM ${options.onlyIfRowsIn})`
    : `${columns} VALUES ${tuples.join(', ')}`;
  return { sql, values };
}

interface OutboxRow {
  id: string;
  tenant_id: string;
  type: AuditEvent['type'];
  outcome: AuditEvent['outcome'];
  occurred_at: Date;
  payload: Record<string, unknown>;
}

function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    ...(row.payload as Partial<AuditEvent>),
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    outcome: row.outcome,
    occurredAt: row.occurred_at,
  };
}
