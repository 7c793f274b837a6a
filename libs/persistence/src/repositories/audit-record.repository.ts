import type { EntityManager } from 'typeorm';
import {
  GENESIS_HASH,
  LOGIN_EVENT_TYPES,
  type AuditEventType,
  type AuditRecord,
  type DeviceInfo,
  type GeoLocation,
  type RiskReason,
} from '@gatehouse/audit';
import type { TenantId } from '@gatehouse/protocol';

/** The login types as SQL literals: written out, so the partial login-history indexes (same list) serve the query. */
const LOGIN_TYPES_SQL = LOGIN_EVENT_TYPES.map((type) => `'${type}'`).join(', ');

interface RecordRow {
  tenant_id: string;
  tenant_slug: string;
  sequence: string;
  id: string;
  type: AuditEventType;
  outcome: 'success' | 'failure';
  occurred_at: Date;
  recorded_at: Date;
  user_id: string | null;
  username: string | null;
  client_id: string | null;
  ip: string | null;
  user_agent: string | null;
  geo: GeoLocation;
  device: DeviceInfo | null;
  risk_score: number;
  risk_reasons: RiskReason[];
  error_code: string | null;
  details: Record<string, unknown> | null;
  previous_hash: string;
  hash: string;
}

export interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

/** The head as a batch finds it under its lock, with where retention last cut the chain. */
export interface LockedChainHead extends ChainHead {
  /** The last sequence retention removed (0: none). */
  readonly anchorSequence: number;
}

export interface AuditRecordFilter {
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
  readonly type?: string | undefined;
  readonly userId?: string | undefined;
  readonly username?: string | undefined;
  readonly clientId?: string | undefined;
  readonly ip?: string | undefined;
  readonly outcome?: 'success' | 'failure' | undefined;
  readonly minRisk?: number | undefined;
}

export interface LoginHistoryOptions {
  /**
   * For one attempt scored at a known moment (the login page): the credential-stuffing window
   * (after, through]. The IPs' attempts are then read as the latest of each username inside it:
   * the rule counts distinct usernames there and nothing else reads another user's attempts, so
   * the assessment is the same (fewer attempts, the same usernames), and an address many people
   * share costs one row per person, not one per attempt. Without it every attempt since `since` (the audit worker scores a batch of moments).
   */
  readonly ipWindow?: { readonly after: Date; readonly through: Date };
}

/** What the risk rules need to know about earlier activity, for one tenant. */
export interface LoginHistoryRow {
  /** The record's place in its tenant's chain. */
  readonly sequence: number;
  readonly occurredAt: Date;
  readonly type: AuditEventType;
  readonly outcome: 'success' | 'failure';
  readonly userId: string | null;
  readonly username: string | null;
  readonly ip: string | null;
  readonly geo: GeoLocation;
  readonly deviceId: string | null;
}

const COLUMNS = `r.tenant_id, t.slug AS tenant_slug, r.sequence, r.id, r.type, r.outcome, r.occurred_at, r.recorded_at, r.user_id,
  r.username, r.client_id, r.ip, r.user_agent, r.geo, r.device, r.risk_score, r.risk_reasons, r.error_code, r.details,
  r.previous_hash, r.hash`;
const FROM = `audit_records r JOIN tenants t ON t.id = r.tenant_id`;

/**
 * The audit store. Append-only: the only statement that removes rows is retention,
 * which deletes the oldest part of one tenant's chain; nothing updates a record.
 */
export class AuditRecordRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Locks the tenant's chain head for the rest of the transaction (creating it at genesis). */
  async lockChainHead(tenantId: TenantId | string, genesisHash: string): Promise<LockedChainHead> {
    await this.manager.query(`INSERT INTO audit_chain_heads (tenant_id, sequence, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [
      tenantId,
      genesisHash,
    ]);
    const rows = await this.manager.query<{ sequence: string; hash: string; anchor_sequence: string }[]>(
      `SELECT sequence, hash, anchor_sequence FROM audit_chain_heads WHERE tenant_id = $1 FOR UPDATE`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) throw new Error('audit chain head vanished inside its transaction');
    return { sequence: Number(row.sequence), hash: row.hash, anchorSequence: Number(row.anchor_sequence) };
  }

  async advanceChainHead(tenantId: TenantId | string, head: ChainHead): Promise<void> {
    await this.manager.query(`UPDATE audit_chain_heads SET sequence = $2, hash = $3 WHERE tenant_id = $1`, [
      tenantId,
      head.sequence,
      head.hash,
    ]);
  }

  /** The ids among `ids` that already have a record: a retried job must not make a second one. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.manager.query<{ id: string }[]>(`SELECT id FROM audit_records WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((row) => row.id));
  }

  /** One multi-row INSERT for a batch (already chained by the caller under the head lock). */
  async insertMany(records: readonly AuditRecord[]): Promise<void> {
    const chunkSize = 1_000; // 22 parameters a row: 22,000 of PostgreSQL's 65,535
    for (let start = 0; start < records.length; start += chunkSize) {
      const chunk = records.slice(start, start + chunkSize);
      const values: unknown[] = [];
      const tuples = chunk.map((record) => {
        const row = [
          record.tenantId,
          record.sequence,
          record.id,
          record.type,
          record.outcome,
          record.occurredAt,
          record.recordedAt,
          record.userId ?? null,
          record.username ?? null,
          record.clientId ?? null,
          record.ip ?? null,
          record.userAgent ?? null,
          record.geo.kind === 'located' ? record.geo.country : null,
          JSON.stringify(record.geo),
          record.device?.id ?? null,
          record.device ? JSON.stringify(record.device) : null,
          record.risk.score,
          JSON.stringify(record.risk.reasons),
          record.errorCode ?? null,
          record.details ? JSON.stringify(record.details) : null,
          record.previousHash,
          record.hash,
        ];
        const base = values.length;
        values.push(...row);
        return `(${row.map((_, index) => `$${base + index + 1}`).join(', ')})`;
      });
      await this.manager.query(
        `INSERT INTO audit_records (tenant_id, sequence, id, type, outcome, occurred_at, recorded_at, user_id, username, client_id, ip,
           user_agent, country, geo, device_id, device, risk_score, risk_reasons, error_code, details, previous_hash, hash)
         VALUES ${tuples.join(', ')}`,
        values,
      );
    }
  }

  /** Newest first; `beforeSequence` is the cursor (exclusive). */
  async list(tenantId: TenantId | string, filter: AuditRecordFilter, beforeSequence: number | null, limit: number): Promise<AuditRecord[]> {
    const conditions = ['r.tenant_id = $1'];
    const values: unknown[] = [tenantId];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    if (beforeSequence !== null) add('r.sequence < ?', beforeSequence);
    if (filter.since) add('r.occurred_at >= ?', filter.since);
    if (filter.until) add('r.occurred_at < ?', filter.until);
    if (filter.type) add('r.type = ?', filter.type);
    if (filter.userId) add('r.user_id = ?', filter.userId);
    if (filter.username) add('r.username = ?', filter.username);
    if (filter.clientId) add('r.client_id = ?', filter.clientId);
    if (filter.ip) add('r.ip = ?', filter.ip);
    if (filter.outcome) add('r.outcome = ?', filter.outcome);
    if (filter.minRisk !== undefined) add('r.risk_score >= ?', filter.minRisk);
    values.push(limit);
    const rows = await this.manager.query<RecordRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${conditions.join(' AND ')} ORDER BY r.sequence DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toRecord);
  }

  /** Oldest first from a chain position (exclusive): the live stream, exports, SIEM sinks and verification page through this. */
  async after(tenantId: TenantId | string, afterSequence: number, limit: number, until?: Date): Promise<AuditRecord[]> {
    const rows = await this.manager.query<RecordRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE r.tenant_id = $1 AND r.sequence > $2 ${until ? 'AND r.occurred_at < $4' : ''}
       ORDER BY r.sequence LIMIT $3`,
      until ? [tenantId, afterSequence, limit, until] : [tenantId, afterSequence, limit],
    );
    return rows.map(toRecord);
  }

  /** The chain position just before the first record at or after `since` (for exports by time range). */
  async sequenceBefore(tenantId: TenantId | string, since: Date): Promise<number> {
    const rows = await this.manager.query<{ sequence: string | null }[]>(
      `SELECT min(sequence) - 1 AS sequence FROM audit_records WHERE tenant_id = $1 AND occurred_at >= $2`,
      [tenantId, since],
    );
    const value = rows[0]?.sequence;
    return value === null || value === undefined ? Number.MAX_SAFE_INTEGER : Number(value);
  }

  async byIds(tenantId: TenantId | string, ids: readonly string[]): Promise<AuditRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.query<RecordRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[]) ORDER BY r.sequence`,
      [tenantId, ids],
    );
    return rows.map(toRecord);
  }

  async head(tenantId: TenantId | string): Promise<ChainHead | null> {
    const rows = await this.manager.query<{ sequence: string; hash: string }[]>(
      `SELECT sequence, hash FROM audit_chain_heads WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    return row ? { sequence: Number(row.sequence), hash: row.hash } : null;
  }

  /** The oldest surviving record's position and the hash it points at (retention may have removed the start of the chain). */
  async anchor(tenantId: TenantId | string): Promise<{ sequence: number; previousHash: string } | null> {
    // Where the chain must start: recorded by retention when it removes a prefix, so a prefix
    // deleted any other way shows as a gap instead of passing for retention.
    const rows = await this.manager.query<{ sequence: string; anchor_sequence: string; anchor_hash: string | null }[]>(
      `SELECT sequence, anchor_sequence, anchor_hash FROM audit_chain_heads WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row || Number(row.sequence) <= Number(row.anchor_sequence)) return null;
    return { sequence: Number(row.anchor_sequence) + 1, previousHash: row.anchor_hash ?? GENESIS_HASH };
  }

  /**
   * What the risk rules need to know of the past of these users and IPs, oldest first (chain
   * order): their login attempts since `since` (the velocity windows), and of each user's
   * successful logins before it only those that can still change a score: the first per
   * country, the first per device and the latest. Bounded by the window and the variety of a
   * user's logins, not by how often they logged in; the rules read the same history as from
   * every earlier success.
   */
  async loginHistory(
    tenantId: TenantId | string,
    users: { userIds: readonly string[]; usernames: readonly string[] },
    ips: readonly string[],
    since: Date,
    options: LoginHistoryOptions = {},
  ): Promise<LoginHistoryRow[]> {
    const recent = (match: string) =>
      `(SELECT sequence FROM audit_records
        WHERE tenant_id = $1 AND type IN (${LOGIN_TYPES_SQL}) AND occurred_at >= $4 AND ${match})`;
    const { ipWindow } = options;
    const values: unknown[] = [tenantId, users.userIds, ips, since, users.usernames];
    // Every attempt from the IPs, or (one attempt scored at a known moment) the latest of each username inside
    // the credential-stuffing window: all the rule counts, however many attempts one address made.
    const fromIps = ipWindow
      ? `(SELECT DISTINCT ON (ip, COALESCE(username, user_id, '')) sequence FROM audit_records
          WHERE tenant_id = $1 AND type IN (${LOGIN_TYPES_SQL}) AND ip = ANY($3::text[]) AND occurred_at > $${values.push(ipWindow.after)}
            AND occurred_at <= $${values.push(ipWindow.through)}
          ORDER BY ip, COALESCE(username, user_id, ''), occurred_at DESC, sequence DESC)`
      : recent('ip = ANY($3::text[])');
    const older = (distinct: string, where: string, order: string) =>
      `(SELECT DISTINCT ON (${distinct}) sequence FROM audit_records
        WHERE tenant_id = $1 AND type = 'login.succeeded' AND outcome = 'success' AND user_id = ANY($2::text[]) AND occurred_at < $4 ${where}
        ORDER BY ${distinct}, ${order})`;
    const rows = await this.manager.query<LoginHistoryQueryRow[]>(
      // One branch per key, each on its own index (an OR over three 1,000-element arrays was planned
      // as a scan of the whole table); the positions are collected first, then read in chain order.
      `SELECT ${LOGIN_HISTORY_COLUMNS} FROM audit_records
       WHERE tenant_id = $1 AND sequence = ANY(ARRAY(
         ${recent('user_id = ANY($2::text[])')}
         UNION ${recent('username = ANY($5::text[])')}
         UNION ${fromIps}
         UNION ${older('user_id, country', 'AND country IS NOT NULL', 'occurred_at, sequence')}
         UNION ${older('user_id, device_id', 'AND device_id IS NOT NULL', 'occurred_at, sequence')}
         UNION ${older('user_id', '', 'occurred_at DESC, sequence DESC')}))
       ORDER BY sequence`,
      values,
    );
    return rows.map(toLoginHistoryRow);
  }

  /**
   * The login records appended after `afterSequence`, through `throughSequence`, in chain order:
   * what another worker recorded since this one last held the chain.
   */
  async loginRecordsBetween(tenantId: TenantId | string, afterSequence: number, throughSequence: number): Promise<LoginHistoryRow[]> {
    const rows = await this.manager.query<LoginHistoryQueryRow[]>(
      `SELECT ${LOGIN_HISTORY_COLUMNS} FROM audit_records
       WHERE tenant_id = $1 AND sequence > $2 AND sequence <= $3 AND type IN (${LOGIN_TYPES_SQL})
       ORDER BY sequence`,
      [tenantId, afterSequence, throughSequence],
    );
    return rows.map(toLoginHistoryRow);
  }

  async retentionPolicies(): Promise<{ tenantId: string; retentionDays: number }[]> {
    const rows = await this.manager.query<{ id: string; audit_retention_days: number }[]>(`SELECT id, audit_retention_days FROM tenants`);
    return rows.map((row) => ({ tenantId: row.id, retentionDays: row.audit_retention_days }));
  }

  /**
   * Retention: removes the oldest records of one tenant, always a prefix of its chain so the
   * rest still verifies from its anchor. The prefix ends before the first record (in chain
   * order) that is not older than `cutoff`: an old event recorded late, after newer ones,
   * waits until everything before it has gone too.
   */
  async deleteOlderThan(tenantId: TenantId | string, cutoff: Date): Promise<number> {
    // Never past what an enabled SIEM sink has yet to export, nor a dead letter still waiting for replay.
    const bounds = await this.manager.query<{ boundary: string | null }[]>(
      `SELECT LEAST(
         (SELECT sequence FROM audit_records WHERE tenant_id = $1 AND occurred_at >= $2 ORDER BY sequence LIMIT 1),
         (SELECT sequence + 1 FROM audit_chain_heads WHERE tenant_id = $1),
         (SELECT min(exported_sequence) + 1 FROM siem_sinks WHERE tenant_id = $1 AND enabled),
         (SELECT min(sequence) FROM siem_dead_letters WHERE tenant_id = $1 AND delivered_at IS NULL)) AS boundary`,
      [tenantId, cutoff],
    );
    const boundary = bounds[0]?.boundary;
    if (boundary === null || boundary === undefined) return 0;
    const lastRemoved = await this.manager.query<{ sequence: string; hash: string }[]>(
      `SELECT sequence, hash FROM audit_records WHERE tenant_id = $1 AND sequence < $2 ORDER BY sequence DESC LIMIT 1`,
      [tenantId, boundary],
    );
    const anchor = lastRemoved[0];
    if (!anchor) return 0;
    const [, count] = await this.manager.query<[unknown[], number]>(`DELETE FROM audit_records WHERE tenant_id = $1 AND sequence < $2`, [
      tenantId,
      boundary,
    ]);
    await this.manager.query(`UPDATE audit_chain_heads SET anchor_sequence = $2, anchor_hash = $3 WHERE tenant_id = $1`, [
      tenantId,
      anchor.sequence,
      anchor.hash,
    ]);
    return count;
  }
}

const LOGIN_HISTORY_COLUMNS = 'sequence, occurred_at, type, outcome, user_id, username, ip, geo, device_id';

interface LoginHistoryQueryRow {
  sequence: string;
  occurred_at: Date;
  type: AuditEventType;
  outcome: 'success' | 'failure';
  user_id: string | null;
  username: string | null;
  ip: string | null;
  geo: GeoLocation;
  device_id: string | null;
}

function toLoginHistoryRow(row: LoginHistoryQueryRow): LoginHistoryRow {
  return {
    sequence: Number(row.sequence),
    occurredAt: row.occurred_at,
    type: row.type,
    outcome: row.outcome,
    userId: row.user_id,
    username: row.username,
    ip: row.ip,
    geo: row.geo,
    deviceId: row.device_id,
  };
}

function toRecord(row: RecordRow): AuditRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    sequence: Number(row.sequence),
    type: row.type,
    outcome: row.outcome,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    ...optional('userId', row.user_id),
    ...optional('username', row.username),
    ...optional('clientId', row.client_id),
    ...optional('ip', row.ip),
    ...optional('userAgent', row.user_agent),
    geo: row.geo,
    ...optional('device', row.device),
    risk: { score: row.risk_score, reasons: row.risk_reasons },
    ...optional('errorCode', row.error_code),
    ...optional('details', row.details),
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** Absent, not null: the hash covers the record's canonical JSON, which drops absent members. */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
