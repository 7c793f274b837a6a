import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** A browser's signed-in state at one tenant (SSO), found by the hash of its cookie. */
export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly expiresAt: Date;
}

/** A live session as an admin sees it: never its cookie or the cookie's hash. */
export interface UserSessionSummary {
  readonly id: string;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** The clients that received codes or grants in it. */
  readonly clientIds: readonly string[];
  /** Keyset position (created_at in microseconds, id), newest first. */
  readonly cursor: { readonly createdMicros: string; readonly id: string };
}

interface SessionRow {
  id: string;
  user_id: string;
  auth_time: Date;
  amr: string[];
  expires_at: Date;
}

/** A session to find by its cookie's hash, in its tenant, active at `now`. */
export interface SessionLookup {
  readonly tenantId: TenantId;
  readonly tokenHash: string;
  readonly now: Date;
}

export class SessionRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(
    tenantId: TenantId,
    session: { userId: string; tokenHash: string; authTime: Date; amr: readonly string[]; expiresAt: Date },
  ): Promise<string> {
    const rows = await this.manager.query<{ id: string }[]>(
      `INSERT INTO sessions (tenant_id, user_id, token_hash, auth_time, amr, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [tenantId, session.userId, session.tokenHash, session.authTime, [...session.amr], session.expiresAt],
    );
    return rows[0]?.id ?? '';
  }

  async findActive(tenantId: TenantId, tokenHash: string, now: Date): Promise<Session | null> {
    const [session] = await this.findActiveMany([{ tenantId, tokenHash, now }]);
    return session ?? null;
  }

  /**
   * Sessions by their cookie's hash, each active at its moment with an active user, in order; any number
   * in one query (concurrent requests share it, see BatchedSessionLookups).
   */
  async findActiveMany(lookups: readonly SessionLookup[]): Promise<(Session | null)[]> {
    const rows = await this.manager.query<(SessionRow & { ord: string })[]>(
      `SELECT l.ord, s.id, s.user_id, s.auth_time, s.amr, s.expires_at
       FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[]) WITH ORDINALITY AS l(tenant_id, token_hash, at, ord)
       JOIN sessions s ON s.tenant_id = l.tenant_id AND s.token_hash = l.token_hash
       JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
       WHERE s.ended_at IS NULL AND s.expires_at > l.at AND u.status = 'active'`,
      [lookups.map((lookup) => lookup.tenantId), lookups.map((lookup) => lookup.tokenHash), lookups.map((lookup) => lookup.now)],
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
    return lookups.map((_, index) => {
      const row = byOrdinal.get(index + 1);
      return row ? { id: row.id, userId: row.user_id, authTime: row.auth_time, amr: row.amr, expiresAt: row.expires_at } : null;
    });
  }

  async findActiveById(tenantId: TenantId, id: string, now: Date): Promise<Session | null> {
    const rows = await this.manager.query<SessionRow[]>(
      `SELECT s.id, s.user_id, s.auth_time, s.amr, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.tenant_id = $1 AND s.id = $2 AND s.ended_at IS NULL AND s.expires_at > $3 AND u.status = 'active'`,
      [tenantId, id, now],
    );
    const row = rows[0];
    return row ? { id: row.id, userId: row.user_id, authTime: row.auth_time, amr: row.amr, expiresAt: row.expires_at } : null;
  }

  /** True only for the call that ended it. */
  async end(tenantId: TenantId, id: string, now: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE sessions SET ended_at = $3 WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL RETURNING id`,
      [tenantId, id, now],
    );
    return rows.length === 1;
  }

  /** Ends every live session of a user; returns their ids. */
  async endAllForUser(tenantId: TenantId, userId: string, now: Date): Promise<string[]> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE sessions SET ended_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND ended_at IS NULL RETURNING id`,
      [tenantId, userId, now],
    );
    return rows.map((row) => row.id);
  }

  /** A user's live sessions, newest first, keyset-paginated on (created_at, id). */
  async listActiveForUser(
    tenantId: TenantId,
    userId: string,
    now: Date,
    after: { readonly createdMicros: string; readonly id: string } | null,
    limit: number,
    /** Only sessions this client holds a code or a grant (refresh token family) in. */
    clientId: string | null = null,
  ): Promise<UserSessionSummary[]> {
    const rows = await this.manager.query<
      {
        id: string;
        auth_time: Date;
        amr: string[];
        created_at: Date;
        expires_at: Date;
        created_micros: string;
        client_ids: string[];
      }[]
    >(
      `SELECT s.id, s.auth_time, s.amr, s.created_at, s.expires_at,
              (extract(epoch FROM s.created_at) * 1000000)::bigint::text AS created_micros,
              ARRAY(SELECT client_id FROM authorization_codes c WHERE c.tenant_id = s.tenant_id AND c.session_id = s.id
                    UNION SELECT client_id FROM refresh_token_families f WHERE f.tenant_id = s.tenant_id AND f.session_id = s.id
                    ORDER BY 1) AS client_ids
       FROM sessions s
       WHERE s.tenant_id = $1 AND s.user_id = $2 AND s.ended_at IS NULL AND s.expires_at > $3
         AND ($4::bigint IS NULL OR ((extract(epoch FROM s.created_at) * 1000000)::bigint, s.id) < ($4::bigint, $5::uuid))
         AND ($7::varchar IS NULL
              OR EXISTS (SELECT 1 FROM authorization_codes c WHERE c.tenant_id = s.tenant_id AND c.session_id = s.id AND c.client_id = $7)
              OR EXISTS (SELECT 1 FROM refresh_token_families f WHERE f.tenant_id = s.tenant_id AND f.session_id = s.id AND f.client_id = $7))
       ORDER BY s.created_at DESC, s.id DESC
       LIMIT $6`,
      [tenantId, userId, now, after?.createdMicros ?? null, after?.id ?? null, limit, clientId],
    );
    return rows.map((row) => ({
      id: row.id,
      authTime: row.auth_time,
      amr: row.amr,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      clientIds: row.client_ids,
      cursor: { createdMicros: row.created_micros, id: row.id },
    }));
  }

  /** The clients that received codes or grants in this session: who to tell when it ends. */
  async clientIdsOfSession(tenantId: TenantId, sessionId: string): Promise<string[]> {
    const rows = await this.manager.query<{ client_id: string }[]>(
      `SELECT client_id FROM authorization_codes WHERE tenant_id = $1 AND session_id = $2
       UNION SELECT client_id FROM refresh_token_families WHERE tenant_id = $1 AND session_id = $2`,
      [tenantId, sessionId],
    );
    return rows.map((row) => row.client_id);
  }
}
