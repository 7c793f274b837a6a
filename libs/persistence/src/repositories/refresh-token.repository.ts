import type { EntityManager } from 'typeorm';
import type { AuditEvent } from '@gatehouse/audit';
import { outboxEntries } from '../batching/group-commit-outbox.js';
import type { TenantId } from '@gatehouse/protocol';
import { outboxInsert } from './audit-outbox.repository.js';

/** A grant: what every refresh token of the family carries, and whether it still stands. */
export interface RefreshTokenFamily {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly absoluteExpiresAt: Date;
  readonly revokedAt: Date | null;
  /** RFC 9449 §5: a public client's refresh tokens are bound to the key of its first DPoP proof. */
  readonly dpopJkt: string | null;
  /** RFC 9396: the authorization details of the grant, carried by every access token it refreshes. */
  readonly authorizationDetails: readonly Readonly<Record<string, unknown>>[] | null;
}

export interface PresentedRefreshToken {
  readonly id: string;
  readonly family: RefreshTokenFamily;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly createdAt: Date;
}

/** `id` may be chosen by the caller, so tokens can name their grant before it is stored. */
export type NewFamily = Omit<RefreshTokenFamily, 'id' | 'revokedAt' | 'dpopJkt' | 'authorizationDetails'> & {
  readonly id?: string;
  readonly dpopJkt?: string | null;
  readonly authorizationDetails?: readonly Readonly<Record<string, unknown>>[] | null;
};

interface FamilyRow {
  id: string;
  client_id: string;
  user_id: string;
  session_id: string | null;
  scopes: string[];
  resource: string | null;
  auth_time: Date;
  amr: string[];
  absolute_expires_at: Date;
  revoked_at: Date | null;
  dpop_jkt: string | null;
  authorization_details: Record<string, unknown>[] | null;
}

const FAMILY_COLUMNS =
  'f.id, f.client_id, f.user_id, f.session_id, f.scopes, f.resource, f.auth_time, f.amr, f.absolute_expires_at, f.revoked_at, f.dpop_jkt, f.authorization_details';

/** Refresh tokens are found by hash; rotation marks one used with a single conditional UPDATE. */
export class RefreshTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async createFamily(tenantId: TenantId, family: NewFamily): Promise<string> {
    const rows = await this.manager.query<{ id: string }[]>(
      `INSERT INTO refresh_token_families (id, tenant_id, client_id, user_id, session_id, scopes, resource, auth_time, amr, absolute_expires_at, dpop_jkt, authorization_details)
       VALUES (COALESCE($10::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12) RETURNING id`,
      [
        tenantId,
        family.clientId,
        family.userId,
        family.sessionId,
        [...family.scopes],
        family.resource,
        family.authTime,
        [...family.amr],
        family.absoluteExpiresAt,
        family.id ?? null,
        family.dpopJkt ?? null,
        family.authorizationDetails ? JSON.stringify(family.authorizationDetails) : null,
      ],
    );
    return rows[0]?.id ?? '';
  }

  async insertToken(tenantId: TenantId, familyId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.manager.query(`INSERT INTO refresh_tokens (tenant_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [
      tenantId,
      familyId,
      tokenHash,
      expiresAt,
    ]);
  }

  async findByHash(tenantId: TenantId, tokenHash: string): Promise<PresentedRefreshToken | null> {
    const rows = await this.manager.query<(FamilyRow & { token_id: string; expires_at: Date; used_at: Date | null; created_at: Date })[]>(
      `SELECT t.id AS token_id, t.expires_at, t.used_at, t.created_at, ${FAMILY_COLUMNS}
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
       WHERE t.tenant_id = $1 AND t.token_hash = $2`,
      [tenantId, tokenHash],
    );
    const row = rows[0];
    return row
      ? { id: row.token_id, family: toFamily(row), expiresAt: row.expires_at, usedAt: row.used_at, createdAt: row.created_at }
      : null;
  }

  async findFamily(tenantId: TenantId, familyId: string): Promise<RefreshTokenFamily | null> {
    const rows = await this.manager.query<FamilyRow[]>(
      `SELECT ${FAMILY_COLUMNS} FROM refresh_token_families f WHERE f.tenant_id = $1 AND f.id = $2`,
      [tenantId, familyId],
    );
    return rows[0] ? toFamily(rows[0]) : null;
  }

  /**
   * Rotation as one statement: spends the presented token (only the one call that finds it unused does), stores
   * its successor and writes the audit events, all or nothing, with no transaction around it.
   * False, and nothing written, when the token was spent already: reuse.
   */
  async rotate(
    tenantId: TenantId,
    tokenId: string,
    now: Date,
    successor: { readonly familyId: string; readonly tokenHash: string; readonly expiresAt: Date },
    events: readonly AuditEvent[],
  ): Promise<boolean> {
    const values: unknown[] = [tenantId, tokenId, now, successor.familyId, successor.tokenHash, successor.expiresAt];
    const audit = outboxInsert(outboxEntries(tenantId, events), values.length, { onlyIfRowsIn: 'spent' });
    const rows = await this.manager.query<unknown[]>(
      `WITH spent AS (
         UPDATE refresh_tokens SET used_at = $3 WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL RETURNING id),
       successor AS (
         INSERT INTO refresh_tokens (tenant_id, family_id, token_hash, expires_at) SELECT $1, $4, $5, $6 FROM spent)${
           events.length > 0
             ? `,
       audited AS (${audit.sql})`
             : ''
         }
       SELECT id FROM spent`,
      events.length > 0 ? [...values, ...audit.values] : values,
    );
    return rows.length === 1;
  }

  /** A non-rotating refresh extends the idle expiry, never past the family's absolute one. */
  async extend(tenantId: TenantId, tokenId: string, expiresAt: Date): Promise<void> {
    await this.manager.query(`UPDATE refresh_tokens SET expires_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, tokenId, expiresAt]);
  }

  /** Revokes a family; returns whether this call revoked it. */
  async revokeFamily(tenantId: TenantId, familyId: string, reason: string, now: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE refresh_token_families SET revoked_at = $3, revoked_reason = $4 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
      [tenantId, familyId, now, reason],
    );
    return rows.length === 1;
  }

  /** Every live family of a user (admin "revoke all grants"); returns the ids revoked. */
  async revokeAllForUser(tenantId: TenantId, userId: string, reason: string, now: Date): Promise<string[]> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE refresh_token_families SET revoked_at = $3, revoked_reason = $4 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [tenantId, userId, now, reason],
    );
    return rows.map((row) => row.id);
  }

  /** The grants a user gave one client (consent withdrawn); returns the ids revoked. */
  async revokeAllForUserAndClient(tenantId: TenantId, userId: string, clientId: string, reason: string, now: Date): Promise<string[]> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE refresh_token_families SET revoked_at = $4, revoked_reason = $5
       WHERE tenant_id = $1 AND user_id = $2 AND client_id = $3 AND revoked_at IS NULL RETURNING id`,
      [tenantId, userId, clientId, now, reason],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Logout: the session's grants end with it, except those the user granted offline access
   * (OIDC Core §11), which are meant to outlive the session; `alsoOfflineFor` names a
   * resource whose grants end with the session even then (the admin API).
   */
  async revokeSessionBound(tenantId: TenantId, sessionId: string, alsoOfflineFor: string | null, now: Date): Promise<string[]> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE refresh_token_families SET revoked_at = $3, revoked_reason = 'session_ended'
       WHERE tenant_id = $1 AND session_id = $2 AND revoked_at IS NULL
         AND (NOT ('offline_access' = ANY(scopes)) OR ($4::varchar IS NOT NULL AND resource = $4))
       RETURNING id`,
      [tenantId, sessionId, now, alsoOfflineFor],
    );
    return rows.map((row) => row.id);
  }

  async revokeAllForSession(tenantId: TenantId, sessionId: string, reason: string, now: Date): Promise<string[]> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE refresh_token_families SET revoked_at = $3, revoked_reason = $4 WHERE tenant_id = $1 AND session_id = $2 AND revoked_at IS NULL RETURNING id`,
      [tenantId, sessionId, now, reason],
    );
    return rows.map((row) => row.id);
  }
}

function toFamily(row: FamilyRow): RefreshTokenFamily {
  return {
    id: row.id,
    clientId: row.client_id,
    userId: row.user_id,
    sessionId: row.session_id,
    scopes: row.scopes,
    resource: row.resource,
    authTime: row.auth_time,
    amr: row.amr,
    absoluteExpiresAt: row.absolute_expires_at,
    revokedAt: row.revoked_at,
    dpopJkt: row.dpop_jkt,
    authorizationDetails: row.authorization_details ?? null,
  };
}
