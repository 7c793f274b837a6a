import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** RFC 8628 §3.2: a device authorization, stored by the SHA-256 of its device_code and of its user_code. */
export interface NewDeviceAuthorization {
  readonly clientId: string;
  readonly deviceCodeHash: string;
  readonly userCodeHash: string;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly intervalSeconds: number;
  readonly expiresAt: Date;
}

export type DeviceAuthorizationStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface DeviceAuthorization {
  readonly id: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly status: DeviceAuthorizationStatus;
  readonly userId: string | null;
  readonly sessionId: string | null;
  readonly authTime: Date | null;
  readonly amr: readonly string[];
  readonly intervalSeconds: number;
  readonly expiresAt: Date;
}

/** What a poll found (RFC 8628 §3.5), decided in one statement per poll. */
export type DevicePoll =
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'slow_down'; readonly intervalSeconds: number }
  | { readonly outcome: 'pending' | 'denied' | 'consumed' }
  | { readonly outcome: 'approved'; readonly authorization: DeviceAuthorization };

interface Row {
  id: string;
  client_id: string;
  scope: string;
  resource: string | null;
  status: DeviceAuthorizationStatus;
  user_id: string | null;
  session_id: string | null;
  auth_time: Date | null;
  amr: string[] | null;
  interval_seconds: number;
  expires_at: Date;
}

const COLUMNS = 'id, client_id, scope, resource, status, user_id, session_id, auth_time, amr, interval_seconds, expires_at';

/** Device authorizations of one tenant: created by the device, approved or denied by the user, redeemed once. */
export class DeviceAuthorizationRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Stores it and drops the tenant's authorizations expired for a day (kept small without a sweeper). */
  async insert(tenantId: TenantId, authorization: NewDeviceAuthorization, now: Date): Promise<void> {
    await this.manager.query(`DELETE FROM device_authorizations WHERE tenant_id = $1 AND expires_at <= $2`, [
      tenantId,
      new Date(now.getTime() - 24 * 3600 * 1000),
    ]);
    await this.manager.query(
      `INSERT INTO device_authorizations (tenant_id, client_id, device_code_hash, user_code_hash, scope, resource, interval_seconds, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        tenantId,
        authorization.clientId,
        authorization.deviceCodeHash,
        authorization.userCodeHash,
        authorization.scopes.join(' '),
        authorization.resource,
        authorization.intervalSeconds,
        authorization.expiresAt,
      ],
    );
  }

  /** The pending, unexpired authorization a user code names; null for any other (a guess, a used or an expired code). */
  async findPendingByUserCode(tenantId: TenantId, userCodeHash: string, now: Date): Promise<DeviceAuthorization | null> {
    const rows = await this.manager.query<Row[]>(
      `SELECT ${COLUMNS} FROM device_authorizations
       WHERE tenant_id = $1 AND user_code_hash = $2 AND status = 'pending' AND expires_at > $3`,
      [tenantId, userCodeHash, now],
    );
    return rows[0] ? toAuthorization(rows[0]) : null;
  }

  /** The user's decision, once: only a pending, unexpired authorization moves. False when it had already moved. */
  async decide(
    tenantId: TenantId,
    id: string,
    decision:
      | {
          readonly approved: true;
          readonly userId: string;
          readonly sessionId: string | null;
          readonly authTime: Date;
          readonly amr: readonly string[];
        }
      | { readonly approved: false; readonly userId: string },
    now: Date,
  ): Promise<boolean> {
    const rows = await this.manager.query<[unknown[], number]>(
      `UPDATE device_authorizations
       SET status = $3, user_id = $4, session_id = $5, auth_time = $6, amr = $7
       WHERE tenant_id = $1 AND id = $2 AND status = 'pending' AND expires_at > $8
       RETURNING id`,
      [
        tenantId,
        id,
        decision.approved ? 'approved' : 'denied',
        decision.userId,
        decision.approved ? decision.sessionId : null,
        decision.approved ? decision.authTime : null,
        decision.approved ? JSON.stringify(decision.amr) : null,
        now,
      ],
    );
    return rows[0].length === 1;
  }

  /**
   * One poll by the device (RFC 8628 §3.4–3.5), decided in one statement under the row lock: an
   * approved authorization is consumed (so only one poll ever gets tokens); a poll sooner than the
   * interval after the previous one raises the interval by 5 s (slow_down); every poll is recorded.
   * Another client's device_code is `unknown`.
   */
  async poll(tenantId: TenantId, deviceCodeHash: string, clientId: string, now: Date): Promise<DevicePoll> {
    const [rows] = await this.manager.query<[(Row & { outcome: string })[], number]>(
      `WITH found AS (
         SELECT id, status, expires_at, interval_seconds, last_polled_at FROM device_authorizations
         WHERE tenant_id = $1 AND device_code_hash = $2 AND client_id = $3
         FOR UPDATE
       ), decided AS (
         SELECT id,
           CASE
             WHEN expires_at <= $4 AND status <> 'consumed' THEN 'expired'
             WHEN status = 'approved' THEN 'approved'
             WHEN status <> 'pending' THEN status
             WHEN last_polled_at IS NOT NULL AND last_polled_at > $4 - make_interval(secs => interval_seconds) THEN 'slow_down'
             ELSE 'pending'
           END AS outcome
         FROM found
       )
       UPDATE device_authorizations d
       SET last_polled_at = $4,
           status = CASE WHEN decided.outcome = 'approved' THEN 'consumed' ELSE d.status END,
           interval_seconds = CASE WHEN decided.outcome = 'slow_down' THEN d.interval_seconds + 5 ELSE d.interval_seconds END
       FROM decided WHERE d.id = decided.id
       RETURNING decided.outcome, d.id, d.client_id, d.scope, d.resource, d.status, d.user_id, d.session_id, d.auth_time, d.amr, d.interval_seconds, d.expires_at`,
      [tenantId, deviceCodeHash, clientId, now],
    );
    const row = rows[0];
    if (!row) return { outcome: 'unknown' };
    switch (row.outcome) {
      case 'approved':
        return { outcome: 'approved', authorization: toAuthorization(row) };
      case 'slow_down':
        return { outcome: 'slow_down', intervalSeconds: row.interval_seconds };
      case 'expired':
      case 'pending':
      case 'denied':
      case 'consumed':
        return { outcome: row.outcome };
      default:
        return { outcome: 'unknown' };
    }
  }
}

function toAuthorization(row: Row): DeviceAuthorization {
  return {
    id: row.id,
    clientId: row.client_id,
    scopes: row.scope === '' ? [] : row.scope.split(' '),
    resource: row.resource,
    status: row.status,
    userId: row.user_id,
    sessionId: row.session_id,
    authTime: row.auth_time,
    amr: row.amr ?? [],
    intervalSeconds: row.interval_seconds,
    expiresAt: row.expires_at,
  };
}
