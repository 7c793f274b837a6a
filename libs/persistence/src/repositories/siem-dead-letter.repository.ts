import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import { isUuid } from './siem-sink.repository.js';

export interface SiemDeadLetter {
  readonly id: string;
  readonly tenantId: string;
  readonly sinkId: string;
  readonly recordId: string;
  readonly sequence: number;
  readonly attempts: number;
  readonly error: string;
  readonly createdAt: Date;
  /** When an admin asked for it to be sent again; cleared if that attempt fails too. */
  readonly replayedAt: Date | null;
  readonly deliveredAt: Date | null;
}

interface DeadLetterRow {
  id: string;
  tenant_id: string;
  sink_id: string;
  record_id: string;
  sequence: string;
  attempts: number;
  error: string;
  created_at: Date;
  replayed_at: Date | null;
  delivered_at: Date | null;
}

/** Records a sink gave up on, kept until an admin replays them and they are delivered. */
export class SiemDeadLetterRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Undelivered dead letters, oldest first; `afterCreated` (the last row of the previous page) is the cursor.
   * Its position is re-read by id: created_at has microseconds a Date lacks, and one failed batch shares one created_at.
   */
  async listPending(
    tenantId: TenantId | string,
    sinkId: string | null,
    afterCreated: { at: Date; id: string } | null,
    limit: number,
  ): Promise<SiemDeadLetter[]> {
    const values: unknown[] = [tenantId];
    let sql = `SELECT * FROM siem_dead_letters WHERE tenant_id = $1 AND delivered_at IS NULL`;
    if (sinkId !== null) {
      if (!isUuid(sinkId)) return [];
      values.push(sinkId);
      sql += ` AND sink_id = $${values.length}`;
    }
    if (afterCreated) {
      if (!isUuid(afterCreated.id)) return [];
      values.push(afterCreated.at, afterCreated.id);
      const [at, id] = [`$${values.length - 1}`, `$${values.length}::uuid`];
      sql += ` AND (created_at, id) > (COALESCE((SELECT created_at FROM siem_dead_letters WHERE tenant_id = $1 AND id = ${id}), ${at}), ${id})`;
    }
    values.push(limit);
    const rows = await this.manager.query<DeadLetterRow[]>(`${sql} ORDER BY created_at, id LIMIT $${values.length}`, values);
    return rows.map(toDeadLetter);
  }

  /** Asks for every pending dead letter of the tenant (or one sink) to be sent again; returns how many. */
  async requestReplay(tenantId: TenantId | string, sinkId: string | null, now: Date): Promise<number> {
    if (sinkId !== null && !isUuid(sinkId)) return 0;
    const [, count] = await this.manager.query<[unknown[], number]>(
      `UPDATE siem_dead_letters SET replayed_at = $2 WHERE tenant_id = $1 AND delivered_at IS NULL ${sinkId ? 'AND sink_id = $3' : ''}`,
      sinkId ? [tenantId, now, sinkId] : [tenantId, now],
    );
    await this.manager.query(
      `UPDATE siem_sinks SET next_attempt_at = LEAST(next_attempt_at, $2) WHERE tenant_id = $1 ${sinkId ? 'AND id = $3' : ''}`,
      sinkId ? [tenantId, now, sinkId] : [tenantId, now],
    );
    return count;
  }

  /** Replays the exporter should send now for this sink, in chain order. */
  async replayBatch(sinkId: string, limit: number): Promise<SiemDeadLetter[]> {
    const rows = await this.manager.query<DeadLetterRow[]>(
      `SELECT * FROM siem_dead_letters WHERE sink_id = $1 AND replayed_at IS NOT NULL AND delivered_at IS NULL ORDER BY sequence LIMIT $2`,
      [sinkId, limit],
    );
    return rows.map(toDeadLetter);
  }

  async markDelivered(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`UPDATE siem_dead_letters SET delivered_at = $2 WHERE id = ANY($1::uuid[])`, [ids, now]);
  }

  /** A failed replay: back to waiting for the next request, with the new error. */
  async markReplayFailed(ids: readonly string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(
      `UPDATE siem_dead_letters SET replayed_at = NULL, attempts = attempts + 1, error = $2 WHERE id = ANY($1::uuid[])`,
      [ids, error.slice(0, 500)],
    );
  }

  async countPending(tenantId: TenantId | string): Promise<number> {
    const rows = await this.manager.query<{ count: string }[]>(
      `SELECT count(*) AS count FROM siem_dead_letters WHERE tenant_id = $1 AND delivered_at IS NULL`,
      [tenantId],
    );
    return Number(rows[0]?.count ?? 0);
  }
}

function toDeadLetter(row: DeadLetterRow): SiemDeadLetter {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    sinkId: row.sink_id,
    recordId: row.record_id,
    sequence: Number(row.sequence),
    attempts: row.attempts,
    error: row.error,
    createdAt: row.created_at,
    replayedAt: row.replayed_at,
    deliveredAt: row.delivered_at,
  };
}
