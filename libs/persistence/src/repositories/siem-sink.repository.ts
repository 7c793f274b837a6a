import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

export type SiemSinkType = 'syslog' | 'splunk-hec' | 'webhook';
export type SiemSinkFormat = 'cef' | 'json' | 'ocsf' | 'ecs';

export interface SiemSink {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly type: SiemSinkType;
  readonly url: string;
  readonly format: SiemSinkFormat;
  /** AES-256-GCM envelope of the sink's token / HMAC secret (sealed by the caller); never returned by the API. */
  readonly credentials: string | null;
  readonly ackEnabled: boolean;
  readonly maxAttempts: number;
  readonly enabled: boolean;
  /** The chain position up to which this sink has every record (delivered or dead-lettered). */
  readonly exportedSequence: number;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly lastDeliveredAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type SiemSinkState = 'disabled' | 'healthy' | 'retrying' | 'dead-lettering';

/** What a sink is doing, from its export state: shown by the admin API and the worker's readiness alike. */
export function siemSinkState(sink: Pick<SiemSink, 'enabled' | 'attempts' | 'lastError'>): SiemSinkState {
  if (!sink.enabled) return 'disabled';
  if (sink.attempts > 0) return 'retrying';
  return sink.lastError ? 'dead-lettering' : 'healthy';
}

export interface NewSiemSink {
  readonly id: string;
  readonly name: string;
  readonly type: SiemSinkType;
  readonly url: string;
  readonly format: SiemSinkFormat;
  readonly credentials: string | null;
  readonly ackEnabled: boolean;
  readonly maxAttempts: number;
}

interface SinkRow {
  id: string;
  tenant_id: string;
  name: string;
  type: SiemSinkType;
  url: string;
  format: SiemSinkFormat;
  credentials: string | null;
  ack_enabled: boolean;
  max_attempts: number;
  enabled: boolean;
  exported_sequence: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  last_delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A tenant's SIEM sinks and each one's export cursor over the tenant's audit chain. */
export class SiemSinkRepository {
  constructor(private readonly manager: EntityManager) {}

  /** A new sink starts at the current head: it receives what is recorded from now on. */
  async insert(tenantId: TenantId | string, sink: NewSiemSink): Promise<SiemSink> {
    const rows = await this.manager.query<SinkRow[]>(
      `INSERT INTO siem_sinks (id, tenant_id, name, type, url, format, credentials, ack_enabled, max_attempts, exported_sequence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE((SELECT sequence FROM audit_chain_heads WHERE tenant_id = $2), 0))
       RETURNING *`,
      [sink.id, tenantId, sink.name, sink.type, sink.url, sink.format, sink.credentials, sink.ackEnabled, sink.maxAttempts],
    );
    return toSink(rows[0]!);
  }

  async list(tenantId: TenantId | string): Promise<SiemSink[]> {
    const rows = await this.manager.query<SinkRow[]>(`SELECT * FROM siem_sinks WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
    return rows.map(toSink);
  }

  /**
   * Keyset pagination on (created_at to the millisecond, id), the precision a cursor carries; the
   * filters narrow the same ordering, so a cursor continues the filtered list.
   */
  async listPage(
    tenantId: TenantId | string,
    after: { readonly at: Date; readonly id: string } | null,
    limit: number,
    filter: { readonly type?: SiemSinkType | undefined; readonly enabled?: boolean | undefined } = {},
  ): Promise<SiemSink[]> {
    const rows = await this.manager.query<SinkRow[]>(
      `SELECT * FROM siem_sinks
       WHERE tenant_id = $1 AND ($2::text IS NULL OR type = $2) AND ($3::boolean IS NULL OR enabled = $3)
         AND ($4::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) > ($4::timestamptz, $5::uuid))
       ORDER BY date_trunc('milliseconds', created_at), id LIMIT $6`,
      [tenantId, filter.type ?? null, filter.enabled ?? null, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map(toSink);
  }

  async listAll(): Promise<SiemSink[]> {
    const rows = await this.manager.query<SinkRow[]>(`SELECT * FROM siem_sinks ORDER BY tenant_id, created_at`);
    return rows.map(toSink);
  }

  async find(tenantId: TenantId | string, id: string): Promise<SiemSink | null> {
    if (!isUuid(id)) return null;
    const rows = await this.manager.query<SinkRow[]>(`SELECT * FROM siem_sinks WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ? toSink(rows[0]) : null;
  }

  async delete(tenantId: TenantId | string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const [, count] = await this.manager.query<[unknown[], number]>(`DELETE FROM siem_sinks WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    return count === 1;
  }

  async setEnabled(tenantId: TenantId | string, id: string, enabled: boolean): Promise<boolean> {
    if (!isUuid(id)) return false;
    const [, count] = await this.manager.query<[unknown[], number]>(
      `UPDATE siem_sinks SET enabled = $3, attempts = 0, next_attempt_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, enabled],
    );
    return count === 1;
  }

  /**
   * Claims sinks that are due and behind their tenant's chain head, or have dead letters
   * waiting for replay: FOR UPDATE SKIP LOCKED so two workers never export to one sink at
   * once, and a lease pushes the next attempt out so a crash retries later.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<SiemSink[]> {
    const [rows] = await this.manager.query<[SinkRow[], number]>(
      `UPDATE siem_sinks SET next_attempt_at = $2
       WHERE id IN (
         SELECT s.id FROM siem_sinks s LEFT JOIN audit_chain_heads h ON h.tenant_id = s.tenant_id
         WHERE s.enabled AND s.next_attempt_at <= $1 AND (
           COALESCE(h.sequence, 0) > s.exported_sequence
           OR EXISTS (SELECT 1 FROM siem_dead_letters d WHERE d.sink_id = s.id AND d.replayed_at IS NOT NULL AND d.delivered_at IS NULL))
         ORDER BY s.next_attempt_at LIMIT $3 FOR UPDATE OF s SKIP LOCKED)
       RETURNING *`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows.map(toSink);
  }

  async markDelivered(id: string, exportedSequence: number, now: Date): Promise<void> {
    await this.manager.query(
      `UPDATE siem_sinks SET exported_sequence = GREATEST(exported_sequence, $2), attempts = 0, next_attempt_at = $3,
         last_error = NULL, last_delivered_at = $3 WHERE id = $1`,
      [id, exportedSequence, now],
    );
  }

  /** Nothing was due after all: hands the lease back. */
  async release(id: string, now: Date): Promise<void> {
    await this.manager.query(`UPDATE siem_sinks SET next_attempt_at = $2 WHERE id = $1`, [id, now]);
  }

  async markFailed(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.manager.query(`UPDATE siem_sinks SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1`, [
      id,
      attempts,
      nextAttemptAt,
      error.slice(0, 500),
    ]);
  }

  /** Gives up on a batch: its records become dead letters and the cursor moves past them, in one statement pair. */
  async deadLetter(sink: SiemSink, records: readonly { id: string; sequence: number }[], error: string, now: Date): Promise<void> {
    if (records.length > 0) {
      await this.manager.query(
        `INSERT INTO siem_dead_letters (tenant_id, sink_id, record_id, sequence, attempts, error)
         SELECT $1, $2, r.id, r.sequence, $3, $4 FROM unnest($5::uuid[], $6::bigint[]) AS r(id, sequence)
         ON CONFLICT (sink_id, record_id) DO UPDATE SET attempts = siem_dead_letters.attempts + EXCLUDED.attempts, error = EXCLUDED.error,
           replayed_at = NULL, delivered_at = NULL`,
        [sink.tenantId, sink.id, sink.attempts + 1, error.slice(0, 500), records.map((r) => r.id), records.map((r) => r.sequence)],
      );
    }
    const last = records.reduce((max, record) => Math.max(max, record.sequence), sink.exportedSequence);
    await this.manager.query(
      `UPDATE siem_sinks SET exported_sequence = GREATEST(exported_sequence, $2), attempts = 0, next_attempt_at = $3, last_error = $4 WHERE id = $1`,
      [sink.id, last, now, error.slice(0, 500)],
    );
  }
}

export function toSink(row: SinkRow): SiemSink {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    type: row.type,
    url: row.url,
    format: row.format,
    credentials: row.credentials,
    ackEnabled: row.ack_enabled,
    maxAttempts: row.max_attempts,
    enabled: row.enabled,
    exportedSequence: Number(row.exported_sequence),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastDeliveredAt: row.last_delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
