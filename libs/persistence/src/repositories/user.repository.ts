import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import { likeLiteral } from './like-pattern.js';
import { SqlConditions } from './sql-columns.js';

export interface User {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly username: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly name: string | null;
  readonly roles: readonly string[];
  readonly status: 'active' | 'disabled';
  readonly failedLoginCount: number;
  /** Locked while this is in the future. */
  readonly lockedUntil: Date | null;
  /** Failures since the last successful login or unlock, across temporary locks. */
  readonly consecutiveFailedLogins: number;
  /** Hard-locked since then: only an admin's unlock lifts it. */
  readonly hardLockedAt: Date | null;
  readonly lastLoginAt: Date | null;
  readonly createdAt: Date;
  /** The version admin updates are conditional on (If-Match); login bookkeeping does not move it. */
  readonly updatedAt: Date;
}

/** What the admin API may change on a user. */
export interface UserProfileChanges {
  readonly email?: string | null;
  readonly name?: string | null;
  readonly emailVerified?: boolean;
  readonly status?: 'active' | 'disabled';
}

export type UserUpdateResult = { readonly updated: User } | { readonly conflict: 'email' } | { readonly stale: true };

/** What the login step needs to decide: never shown to anyone. */
export interface LoginCandidate {
  readonly userId: string;
  readonly passwordHash: string;
  readonly status: 'active' | 'disabled';
  readonly lockedUntil: Date | null;
  readonly hardLocked: boolean;
}

export interface LockoutPolicy {
  readonly threshold: number;
  readonly lockoutSeconds: number;
  /** Counted failures across temporary locks that hard-lock the account. */
  readonly hardLockThreshold: number;
}

/** What one counted failure did to the account. */
export interface FailedLoginCount {
  readonly failedLoginCount: number;
  readonly lockedUntil: Date | null;
  readonly consecutiveFailedLogins: number;
  /** This failure reached the hard-lock threshold (it is counted once: a hard-locked account is not counted). */
  readonly hardLockedNow: boolean;
}

export interface NewUser {
  readonly username: string;
  readonly email: string | null;
  readonly passwordHash: string | null;
  readonly roles?: readonly string[];
}

export type UserInsertResult = { readonly created: User } | { readonly conflict: 'username' | 'email' };

/** Users of one tenant; usernames and emails are unique per tenant, case-insensitively. */
export class UserRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByUsername(tenantId: TenantId, username: string): Promise<User | null> {
    const rows = await this.manager.query<UserRow[]>(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND username = $2`, [
      tenantId,
      username.toLowerCase(),
    ]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** The stored argon2id hash for a login check; null when there is no such active user. */
  async findPasswordHash(tenantId: TenantId, username: string): Promise<{ userId: string; passwordHash: string } | null> {
    const rows = await this.manager.query<{ id: string; password_hash: string | null }[]>(
      `SELECT id, password_hash FROM users WHERE tenant_id = $1 AND username = $2 AND status = 'active'`,
      [tenantId, username.toLowerCase()],
    );
    const row = rows[0];
    return row?.password_hash ? { userId: row.id, passwordHash: row.password_hash } : null;
  }

  /** A user with a password, whatever its status or lock: the login step verifies first, then refuses (same timing). */
  async findLoginCandidate(tenantId: TenantId, username: string): Promise<LoginCandidate | null> {
    const rows = await this.manager.query<
      { id: string; password_hash: string | null; status: 'active' | 'disabled'; locked_until: Date | null; hard_locked_at: Date | null }[]
    >(`SELECT id, password_hash, status, locked_until, hard_locked_at FROM users WHERE tenant_id = $1 AND username = lower($2)`, [
      tenantId,
      username,
    ]);
    const row = rows[0];
    return row?.password_hash
      ? {
          userId: row.id,
          passwordHash: row.password_hash,
          status: row.status,
          lockedUntil: row.locked_until,
          hardLocked: row.hard_locked_at !== null,
        }
      : null;
  }

  /**
   * One wrong password, counted in one conditional UPDATE (no read-modify-write race):
   * reaching the threshold locks the account for `lockoutSeconds`. A locked account is not
   * counted (attempts do not extend the lock); after a lock expires the count starts again.
   * `consecutive_failed_logins` is not restarted by a lock's expiry: at `hardLockThreshold` it
   * hard-locks the account, which is then counted no more (NIST SP 800-63B §5.2.2).
   * Runs by username so an unknown name costs the same round trip; null when nothing was counted.
   */
  async recordFailedLogin(tenantId: TenantId, username: string, now: Date, policy: LockoutPolicy): Promise<FailedLoginCount | null> {
    const [rows] = await this.manager.query<
      [{ failed_login_count: number; locked_until: Date | null; consecutive_failed_logins: number; hard_locked_now: boolean }[], number]
    >(
      `WITH counted AS (
         SELECT id, CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END AS next_count,
                consecutive_failed_logins + 1 AS next_consecutive
         FROM users
         WHERE tenant_id = $1 AND username = lower($2) AND status = 'active' AND hard_locked_at IS NULL
           AND (locked_until IS NULL OR locked_until <= $3)
         FOR UPDATE
       )
       UPDATE users u SET
         failed_login_count = c.next_count,
         locked_until = CASE WHEN c.next_count >= $4 THEN $3::timestamptz + make_interval(secs => $5) ELSE NULL END,
         consecutive_failed_logins = c.next_consecutive,
         hard_locked_at = CASE WHEN c.next_consecutive >= $6 THEN $3::timestamptz ELSE NULL END
       FROM counted c WHERE u.id = c.id AND u.tenant_id = $1
       RETURNING u.failed_login_count, u.locked_until, u.consecutive_failed_logins, u.hard_locked_at IS NOT NULL AS hard_locked_now`,
      [tenantId, username, now, policy.threshold, policy.lockoutSeconds, policy.hardLockThreshold],
    );
    const row = rows[0];
    return row
      ? {
          failedLoginCount: row.failed_login_count,
          lockedUntil: row.locked_until,
          consecutiveFailedLogins: row.consecutive_failed_logins,
          hardLockedNow: row.hard_locked_now,
        }
      : null;
  }

  /** The right password: resets the counts and records the login, only if the user is still active and unlocked. */
  async recordSuccessfulLogin(tenantId: TenantId, userId: string, now: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE users SET failed_login_count = 0, consecutive_failed_logins = 0, locked_until = NULL, last_login_at = $3
       WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND hard_locked_at IS NULL
         AND (locked_until IS NULL OR locked_until <= $3) RETURNING id`,
      [tenantId, userId, now],
    );
    return rows.length === 1;
  }

  /** Admin unlock: clears both counts, the temporary lock and the hard lock. */
  async unlock(tenantId: TenantId, id: string): Promise<User | null> {
    return this.updateReturning(
      tenantId,
      id,
      `failed_login_count = 0, locked_until = NULL, consecutive_failed_logins = 0, hard_locked_at = NULL`,
      [],
    );
  }

  /**
   * Erasure on request: the user and everything that names them as a live credential — refresh
   * families (their tokens cascade), unredeemed codes, sign-ins in progress, passkey challenges;
   * sessions, consents and second factors cascade with the user row. Call it in the transaction
   * that ended the sessions first (back-channel logout jobs keep the id to tell clients). The
   * append-only audit trail keeps its records. False when the user was not there.
   */
  async erase(tenantId: TenantId, id: string): Promise<boolean> {
    const where = `WHERE tenant_id = $1 AND user_id = $2`;
    await this.manager.query(`DELETE FROM refresh_token_families ${where}`, [tenantId, id]);
    await this.manager.query(`DELETE FROM authorization_codes ${where}`, [tenantId, id]);
    await this.manager.query(`DELETE FROM interactions ${where}`, [tenantId, id]);
    await this.manager.query(`DELETE FROM passkey_challenges ${where}`, [tenantId, id]);
    const [deleted] = await this.manager.query<[{ id: string }[], number]>(
      `DELETE FROM users WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, id],
    );
    return deleted.length > 0;
  }

  /** Admin password reset: a new argon2id hash, and the temporary lockout cleared; a hard lock needs an explicit unlock. */
  async setPassword(tenantId: TenantId, id: string, passwordHash: string): Promise<User | null> {
    return this.updateReturning(tenantId, id, `password_hash = $3, failed_login_count = 0, locked_until = NULL`, [passwordHash]);
  }

  /**
   * Optimistic concurrency: applies only if the row is still the version the caller read
   * (its updated_at); an email already used by another user of the tenant is a conflict.
   */
  async updateIfUnchanged(tenantId: TenantId, id: string, expectedUpdatedAt: Date, changes: UserProfileChanges): Promise<UserUpdateResult> {
    const email = changes.email === undefined || changes.email === null ? changes.email : changes.email.toLowerCase();
    if (email) {
      const taken = await this.manager.query<unknown[]>(`SELECT 1 FROM users WHERE tenant_id = $1 AND email = $2 AND id <> $3`, [
        tenantId,
        email,
        id,
      ]);
      if (taken.length > 0) return { conflict: 'email' };
    }
    const assignments: string[] = [];
    const values: unknown[] = [tenantId, id, expectedUpdatedAt];
    const assign = (column: string, value: unknown): void => {
      values.push(value);
      assignments.push(`${column} = $${values.length}`);
    };
    if (email !== undefined) assign('email', email);
    if (changes.name !== undefined) assign('name', changes.name);
    if (changes.emailVerified !== undefined) assign('email_verified', changes.emailVerified);
    if (changes.status !== undefined) assign('status', changes.status);
    assignments.push('updated_at = clock_timestamp()');
    // JavaScript dates carry milliseconds; PostgreSQL keeps microseconds.
    const [rows] = await this.manager.query<[UserRow[], number]>(
      `UPDATE users SET ${assignments.join(', ')}
       WHERE tenant_id = $1 AND id = $2 AND date_trunc('milliseconds', updated_at) = $3 RETURNING ${USER_COLUMNS}`,
      values,
    );
    return rows[0] ? { updated: toUser(rows[0]) } : { stale: true };
  }

  async findById(tenantId: TenantId, id: string): Promise<User | null> {
    const rows = await this.manager.query<UserRow[]>(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** Users by id, each in its tenant, in order; any number in one query (concurrent requests share it, see BatchedUserLookups). */
  async findManyByIds(lookups: readonly UserLookup[]): Promise<(User | null)[]> {
    // User ids are uuids; anything else (a token's foreign `sub`) can match no row, and must not fail the batch's cast.
    const valid = lookups.map((lookup) => UUID.test(lookup.userId));
    const rows = await this.manager.query<(UserRow & { ord: string })[]>(
      `SELECT l.ord, ${USER_COLUMNS.split(', ')
        .map((column) => `u.${column}`)
        .join(', ')}
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS l(tenant_id, user_id, ord)
       JOIN users u ON u.tenant_id = l.tenant_id AND u.id = l.user_id`,
      [lookups.map((lookup) => lookup.tenantId), lookups.map((lookup, index) => (valid[index] ? lookup.userId : null))],
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
    return lookups.map((_, index) => {
      const row = byOrdinal.get(index + 1);
      return row ? toUser(row) : null;
    });
  }

  /** Keyset pagination by username; the filters narrow the same ordering, so a cursor continues the filtered list. */
  async listPage(
    tenantId: TenantId,
    afterUsername: string | null,
    limit: number,
    filter: {
      readonly status?: User['status'] | undefined;
      readonly email?: string | undefined;
      readonly usernamePrefix?: string | undefined;
      /** Locked: hard-locked, or locked_until is later than `now`. */
      readonly locked?: { readonly value: boolean; readonly now: Date } | undefined;
    } = {},
  ): Promise<User[]> {
    const where = new SqlConditions([tenantId], 'tenant_id = $1');
    if (filter.status !== undefined) where.add((p) => `status = ${p}`, filter.status);
    if (filter.email !== undefined) where.add((p) => `lower(email) = lower(${p})`, filter.email);
    if (filter.usernamePrefix !== undefined) where.add((p) => `username LIKE ${p} ESCAPE '\\'`, `${likeLiteral(filter.usernamePrefix)}%`);
    if (filter.locked !== undefined)
      where.add(
        (p) =>
          filter.locked!.value
            ? `(hard_locked_at IS NOT NULL OR locked_until > ${p})`
            : `(hard_locked_at IS NULL AND (locked_until IS NULL OR locked_until <= ${p}))`,
        filter.locked.now,
      );
    if (afterUsername !== null) where.add((p) => `username > ${p}`, afterUsername);
    const rows = await this.manager.query<UserRow[]>(
      `SELECT ${USER_COLUMNS} FROM users WHERE ${where.sql} ORDER BY username ASC LIMIT ${where.param(limit)}`,
      where.params,
    );
    return rows.map(toUser);
  }

  async countByTenant(tenantId: TenantId): Promise<number> {
    const rows = await this.manager.query<{ count: string }[]>(`SELECT count(*) AS count FROM users WHERE tenant_id = $1`, [tenantId]);
    return Number(rows[0]?.count ?? 0);
  }

  /** An admin change: bumps updated_at so the ETag a client holds goes stale. */
  private async updateReturning(tenantId: TenantId, id: string, assignments: string, values: unknown[]): Promise<User | null> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE users SET ${assignments}, updated_at = clock_timestamp() WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, id, ...values],
    );
    return rows.length === 1 ? this.findById(tenantId, id) : null;
  }

  async insert(tenantId: TenantId, user: NewUser): Promise<UserInsertResult> {
    const rows = await this.manager.query<UserRow[]>(
      `INSERT INTO users (tenant_id, username, email, password_hash, roles) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
      [tenantId, user.username.toLowerCase(), user.email?.toLowerCase() ?? null, user.passwordHash, [...(user.roles ?? [])]],
    );
    if (rows[0]) return { created: toUser(rows[0]) };
    return { conflict: (await this.findByUsername(tenantId, user.username)) ? 'username' : 'email' };
  }
}

export interface UserLookup {
  readonly tenantId: TenantId;
  readonly userId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The users columns, in the order UserRow names them (other repositories join a user with them). */
export const USER_COLUMNS =
  'id, tenant_id, username, email, email_verified, name, roles, status, failed_login_count, locked_until, consecutive_failed_logins, hard_locked_at, last_login_at, created_at, updated_at';

export interface UserRow {
  id: string;
  tenant_id: string;
  username: string;
  email: string | null;
  email_verified: boolean;
  name: string | null;
  roles: string[];
  status: 'active' | 'disabled';
  failed_login_count: number;
  locked_until: Date | null;
  consecutive_failed_logins: number;
  hard_locked_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified,
    name: row.name,
    roles: row.roles,
    status: row.status,
    failedLoginCount: row.failed_login_count,
    lockedUntil: row.locked_until,
    consecutiveFailedLogins: row.consecutive_failed_logins,
    hardLockedAt: row.hard_locked_at,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A user row another repository read as JSON (`to_jsonb`, to join it in one statement): its timestamps come back as strings. */
export function userFromJson(row: UserRow): User {
  const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));
  return toUser({
    ...row,
    locked_until: date(row.locked_until),
    hard_locked_at: date(row.hard_locked_at),
    last_login_at: date(row.last_login_at),
    created_at: date(row.created_at) as Date,
    updated_at: date(row.updated_at) as Date,
  });
}
