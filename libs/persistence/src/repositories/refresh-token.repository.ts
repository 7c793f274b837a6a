import type { EntityManager } from 'typeorm';
import type { AuditEvent } from '@gatehouse/audit';
import type { TenantId } from '@gatehouse/protocol';
import { outboxPayload } from './audit-outbox.repository.js';
import { userFromJson, USER_COLUMNS, type User, type UserRow } from './user.repository.js';

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

/** A refresh token presented to the token endpoint, and its family's user as the user is now (null once erased). */
export interface RefreshTokenRedemption {
  readonly token: PresentedRefreshToken;
  readonly user: User | null;
}

/** One presented refresh token to look up: its hash, in its tenant. */
export interface RefreshTokenLookup {
  readonly tenantId: TenantId;
  readonly tokenHash: string;
}

/** The token a rotation stores in place of the one it spends. */
export interface SuccessorToken {
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

/**
 * What became of a rotation: `rotated`; `already-spent` (reuse, or a race lost to another presentation);
 * `grant-revoked`, when the family was revoked, or the token erased with its user, after the token was
 * read. Only `rotated` wrote anything. The check is as of the statement's start: a revocation committing
 * while the statement runs is ordered after it (the new refresh token then dies with the family).
 */
export type RotationOutcome = 'rotated' | 'already-spent' | 'grant-revoked';

/** One rotation: the presented token spent at `now`, its successor stored and its audit events written, all or nothing. */
export interface Rotation {
  readonly tenantId: TenantId;
  readonly tokenId: string;
  readonly now: Date;
  readonly successor: SuccessorToken;
  readonly events: readonly AuditEvent[];
  /** The traceparent of the request that wrote the events, taken before batching (BatchedRefreshTokens does); written beside each. */
  readonly traceContext?: string | undefined;
}

/** A grant's family and its first token, stored by the redemption that starts the grant, in the same statement. */
export interface NewGrant {
  readonly family: NewFamily & { readonly id: string };
  readonly firstToken: { readonly tokenHash: string; readonly expiresAt: Date };
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

/** The columns a new family is stored with, in the order `familyValues` gives their values. */
export const FAMILY_INSERT_COLUMNS =
  'id, tenant_id, client_id, user_id, session_id, scopes, resource, auth_time, amr, absolute_expires_at, dpop_jkt, authorization_details';

/** Their SQL types, for a VALUES list of families. */
export const FAMILY_INSERT_TYPES = [
  'uuid',
  'uuid',
  'varchar',
  'uuid',
  'uuid',
  'text[]',
  'varchar',
  'timestamptz',
  'text[]',
  'timestamptz',
  'varchar',
  'jsonb',
];

/** A new family's values in FAMILY_INSERT_COLUMNS order (a null id lets the database choose one). */
export function familyValues(tenantId: TenantId, family: NewFamily): unknown[] {
  return [
    family.id ?? null,
    tenantId,
    family.clientId,
    family.userId,
    family.sessionId,
    [...family.scopes],
    family.resource,
    family.authTime,
    [...family.amr],
    family.absoluteExpiresAt,
    family.dpopJkt ?? null,
    family.authorizationDetails ? JSON.stringify(family.authorizationDetails) : null,
  ];
}

type PresentedRow = FamilyRow & { token_id: string; expires_at: Date; used_at: Date | null; created_at: Date };

const FAMILY_COLUMNS =
  'f.id, f.client_id, f.user_id, f.session_id, f.scopes, f.resource, f.auth_time, f.amr, f.absolute_expires_at, f.revoked_at, f.dpop_jkt, f.authorization_details';

/** Refresh tokens are found by hash; rotation marks one used with a single conditional UPDATE. */
export class RefreshTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async createFamily(tenantId: TenantId, family: NewFamily): Promise<string> {
    const rows = await this.manager.query<{ id: string }[]>(
      `INSERT INTO refresh_token_families (${FAMILY_INSERT_COLUMNS})
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      familyValues(tenantId, family),
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
    const rows = await this.manager.query<PresentedRow[]>(
      `SELECT t.id AS token_id, t.expires_at, t.used_at, t.created_at, ${FAMILY_COLUMNS}
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
       WHERE t.tenant_id = $1 AND t.token_hash = $2`,
      [tenantId, tokenHash],
    );
    return rows[0] ? toPresented(rows[0]) : null;
  }

  async findFamily(tenantId: TenantId, familyId: string): Promise<RefreshTokenFamily | null> {
    const rows = await this.manager.query<FamilyRow[]>(
      `SELECT ${FAMILY_COLUMNS} FROM refresh_token_families f WHERE f.tenant_id = $1 AND f.id = $2`,
      [tenantId, familyId],
    );
    return rows[0] ? toFamily(rows[0]) : null;
  }

  /**
   * The token endpoint's lookups, any number in one query (concurrent requests share it, see
   * BatchedRefreshTokens): each presented token with its family and the family's user, in order.
   */
  async redeemable(lookups: readonly RefreshTokenLookup[]): Promise<(RefreshTokenRedemption | null)[]> {
    const rows = await this.manager.query<(PresentedRow & { ord: string; user: UserRow | null })[]>(
      `SELECT l.ord, t.id AS token_id, t.expires_at, t.used_at, t.created_at, ${FAMILY_COLUMNS},
              (SELECT to_jsonb(u) FROM (SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = l.tenant_id AND id = f.user_id) u) AS user
       FROM unnest($1::uuid[], $2::varchar[]) WITH ORDINALITY AS l(tenant_id, token_hash, ord)
       JOIN refresh_tokens t ON t.tenant_id = l.tenant_id AND t.token_hash = l.token_hash
       JOIN refresh_token_families f ON f.tenant_id = t.tenant_id AND f.id = t.family_id`,
      [lookups.map((lookup) => lookup.tenantId), lookups.map((lookup) => lookup.tokenHash)],
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
    return lookups.map((_, index) => {
      const row = byOrdinal.get(index + 1);
      return row ? { token: toPresented(row), user: row.user ? userFromJson(row.user) : null } : null;
    });
  }

  /**
   * Rotations as one statement, any number of them (concurrent requests share it, see
   * BatchedRefreshTokens), with no transaction around it. For each: spends the presented
   * token (only the one rotation that finds it unused does), stores its successor and writes
   * its audit events, or, when the token was spent already (reuse), writes nothing and answers
   * false. The tokens are locked in id order, so two such statements cannot deadlock.
   */
  async rotateMany(rotations: readonly Rotation[]): Promise<RotationOutcome[]> {
    const column = <T>(pick: (rotation: Rotation) => T): T[] => rotations.map(pick);
    const events = rotations.flatMap((rotation, index) =>
      rotation.events.map((event) => ({ ord: index + 1, tenantId: rotation.tenantId, event, traceContext: rotation.traceContext })),
    );
    // The family is read per token by its key (a subquery, not a join): as a join it cost the refresh
    // benchmark 14 %, as a subquery about 4 % (bench/RESULTS.md, stop 31).
    const rows = await this.manager.query<{ ord: string }[]>(
      `WITH batch AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::uuid[], $5::varchar[], $6::timestamptz[])
                WITH ORDINALITY AS b(tenant_id, token_id, at, family_id, token_hash, expires_at, ord)),
       locked AS (
         SELECT t.id FROM refresh_tokens t JOIN batch ON t.tenant_id = batch.tenant_id AND t.id = batch.token_id
         WHERE t.used_at IS NULL
           AND (SELECT f.revoked_at FROM refresh_token_families f WHERE f.id = t.family_id AND f.tenant_id = t.tenant_id) IS NULL
         ORDER BY t.id FOR UPDATE OF t),
       spent AS (
         UPDATE refresh_tokens t SET used_at = batch.at FROM batch
         WHERE t.id IN (SELECT id FROM locked) AND t.tenant_id = batch.tenant_id AND t.id = batch.token_id AND t.used_at IS NULL
         RETURNING batch.ord),
       successor AS (
         INSERT INTO refresh_tokens (tenant_id, family_id, token_hash, expires_at)
         SELECT batch.tenant_id, batch.family_id, batch.token_hash, batch.expires_at FROM batch JOIN spent USING (ord)),
       audited AS (
         INSERT INTO audit_outbox (tenant_id, type, outcome, occurred_at, payload)
         SELECT e.tenant_id, e.type, e.outcome, e.occurred_at, e.payload
         FROM unnest($7::bigint[], $8::uuid[], $9::varchar[], $10::varchar[], $11::timestamptz[], $12::jsonb[])
              AS e(ord, tenant_id, type, outcome, occurred_at, payload)
         JOIN spent USING (ord))
       SELECT ord FROM spent`,
      [
        column((rotation) => rotation.tenantId),
        column((rotation) => rotation.tokenId),
        column((rotation) => rotation.now),
        column((rotation) => rotation.successor.familyId),
        column((rotation) => rotation.successor.tokenHash),
        column((rotation) => rotation.successor.expiresAt),
        events.map((entry) => entry.ord),
        events.map((entry) => entry.tenantId),
        events.map((entry) => entry.event.type),
        events.map((entry) => entry.event.outcome),
        events.map((entry) => entry.event.occurredAt),
        events.map((entry) => outboxPayload(entry.event, entry.traceContext)),
      ],
    );
    const spent = new Set(rows.map((row) => Number(row.ord)));
    const refused = rotations.filter((_, index) => !spent.has(index + 1));
    // Rare (a lost race, a revocation): why is read apart, off the path every rotation takes.
    const revoked = refused.length === 0 ? new Set<string>() : await this.revokedAmong(refused);
    return rotations.map((rotation, index) =>
      spent.has(index + 1) ? 'rotated' : revoked.has(rotation.tokenId) ? 'grant-revoked' : 'already-spent',
    );
  }

  /** The tokens, of those given, whose family is revoked or which are gone (their user erased meanwhile). */
  private async revokedAmong(rotations: readonly Rotation[]): Promise<Set<string>> {
    const rows = await this.manager.query<{ id: string }[]>(
      `SELECT r.token_id AS id FROM unnest($1::uuid[], $2::uuid[]) AS r(tenant_id, token_id)
       LEFT JOIN refresh_tokens t ON t.tenant_id = r.tenant_id AND t.id = r.token_id
       LEFT JOIN refresh_token_families f ON f.tenant_id = t.tenant_id AND f.id = t.family_id
       WHERE t.id IS NULL OR f.revoked_at IS NOT NULL`,
      [rotations.map((rotation) => rotation.tenantId), rotations.map((rotation) => rotation.tokenId)],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * A non-rotating refresh extends the idle expiry, never past the family's absolute one; false, changing
   * nothing, when the family was revoked after the token was read.
   */
  async extend(tenantId: TenantId, tokenId: string, expiresAt: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE refresh_tokens t SET expires_at = $3 FROM refresh_token_families f
       WHERE t.tenant_id = $1 AND t.id = $2 AND f.tenant_id = t.tenant_id AND f.id = t.family_id AND f.revoked_at IS NULL
       RETURNING t.id`,
      [tenantId, tokenId, expiresAt],
    );
    return rows.length === 1;
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

function toPresented(row: PresentedRow): PresentedRefreshToken {
  return { id: row.token_id, family: toFamily(row), expiresAt: row.expires_at, usedAt: row.used_at, createdAt: row.created_at };
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
