import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import {
  Persistence,
  type Consent,
  type Tenant,
  type User,
  type UserProfileChanges,
  type UserSessionSummary,
} from '@gatehouse/persistence';
import { hashPassword, passwordWeakness } from '@gatehouse/tokens';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';
import { presentUser } from './user.presenter.js';
import { SessionRevocationService, type RevokedSessions } from './session-revocation.service.js';

const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;
const SESSION_CURSOR = /^(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface CreateUserInput {
  readonly tenant: string;
  readonly username: string;
  readonly email?: string | undefined;
  /** Absent: the account exists without a password until one is set. */
  readonly password?: string | undefined;
  readonly roles?: readonly string[];
}

/** What GET .../users narrows by; `email` matches exactly, ignoring case; `locked` is judged at the service's clock. */
export interface UserListFilter {
  readonly status?: User['status'] | undefined;
  readonly email?: string | undefined;
  readonly usernamePrefix?: string | undefined;
  readonly locked?: boolean | undefined;
}

/** A change and what it did; `revoked` when the user was signed out everywhere as part of it. */
export interface UserChange {
  readonly user: User;
  readonly revoked: RevokedSessions | null;
}

/**
 * Users of a tenant for the admin API. Every change commits with its audit event in one
 * transaction; disabling a user or resetting their password also signs them out everywhere
 * (sessions ended, grants revoked, back-channel logouts queued) in that same transaction.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly sessions: SessionRevocationService,
    private readonly audit: AdminAuditService,
    private readonly clock: Clock,
  ) {}

  async listPage(slug: string, afterUsername: string | null, limit: number, filter: UserListFilter = {}): Promise<User[]> {
    const tenant = await this.tenants.get(slug);
    const { locked, ...rest } = filter;
    return this.persistence.repositories.users.listPage(tenant.id, afterUsername, limit, {
      ...rest,
      locked: locked === undefined ? undefined : { value: locked, now: this.clock.now() },
    });
  }

  async get(slug: string, username: string): Promise<User> {
    return (await this.find(slug, username)).user;
  }

  /** The audit event commits with the user; direct callers (the CLI, the bootstrap) act as the local operator. */
  async create(input: CreateUserInput, actor: string = LOCAL_OPERATOR): Promise<User> {
    const tenant = await this.tenants.get(input.tenant);
    if (!USERNAME.test(input.username)) {
      throw new AdminProblem('validation_failed', 'username must be 1-128 letters, digits or . _ @ + -', 'username');
    }
    if (input.email !== undefined) checkEmail(input.email);
    const passwordHash = input.password === undefined ? null : await this.hashAcceptable(input.password, input.username);
    const result = await this.persistence.transaction(async (repos) => {
      const inserted = await repos.users.insert(tenant.id, {
        username: input.username,
        email: input.email ?? null,
        passwordHash,
        roles: input.roles ?? [],
      });
      if ('created' in inserted) {
        const after = presentUser(inserted.created, this.clock.now());
        await this.audit.recordIn(repos, tenant.id, {
          actor,
          action: 'admin.user.created',
          target: inserted.created.id,
          before: null,
          after,
        });
      }
      return inserted;
    });
    if ('conflict' in result) {
      throw new AdminProblem('conflict', `a user with this ${result.conflict} already exists in tenant "${tenant.slug}"`, result.conflict);
    }
    return result.created;
  }

  /** Profile and status, conditional on the version the caller read (`expected`, checked against If-Match first). */
  async update(slug: string, expected: User, changes: UserProfileChanges, actor: string): Promise<UserChange> {
    const tenant = await this.tenants.get(slug);
    if (changes.email !== undefined && changes.email !== null) checkEmail(changes.email);
    if (changes.name !== undefined && changes.name !== null && (changes.name.trim() === '' || changes.name.length > 200)) {
      throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
    }
    const disabling = changes.status === 'disabled' && expected.status !== 'disabled';
    const now = this.clock.now();
    const outcome = await this.persistence.transaction(async (repos) => {
      const result = await repos.users.updateIfUnchanged(tenant.id, expected.id, expected.updatedAt, changes);
      if ('stale' in result) throw new AdminProblem('precondition_failed', 'the user changed since you read it; read it again');
      if ('conflict' in result)
        throw new AdminProblem('conflict', `a user with this email already exists in tenant "${tenant.slug}"`, 'email');
      const revoked = disabling ? await this.sessions.revokeAllIn(repos, tenant, result.updated, actor, now) : null;
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: disabling ? 'admin.user.disabled' : 'admin.user.updated',
        target: expected.id,
        before: presentUser(expected, now),
        after: { ...presentUser(result.updated, now), ...(revoked ? { signed_out: summary(revoked) } : {}) },
      });
      return { user: result.updated, revoked };
    });
    return this.announced(tenant, outcome);
  }

  /** A new password (policy-checked), the lockout cleared, and by default every session ended. */
  async resetPassword(slug: string, username: string, password: string, endSessions: boolean, actor: string): Promise<UserChange> {
    const { tenant, user } = await this.find(slug, username);
    const passwordHash = await this.hashAcceptable(password, user.username);
    const now = this.clock.now();
    const outcome = await this.persistence.transaction(async (repos) => {
      const updated = await repos.users.setPassword(tenant.id, user.id, passwordHash);
      if (!updated) throw new AdminProblem('not_found', `unknown user "${username}"`);
      const revoked = endSessions ? await this.sessions.revokeAllIn(repos, tenant, updated, actor, now) : null;
      // The password itself is never in the event: only that it was replaced.
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.user.credential_reset',
        target: user.id,
        before: lockState(user, now),
        after: { ...lockState(updated, now), ...(revoked ? { signed_out: summary(revoked) } : {}) },
      });
      return { user: updated, revoked };
    });
    return this.announced(tenant, outcome);
  }

  /**
   * Erasure on request (GDPR art. 17): every session ended (back-channel logout sent), every grant
   * revoked and announced, then the user and their sessions, consents, factors, codes and grants
   * deleted, in one transaction with the audit event (the user as it was, secrets removed).
   */
  async erase(slug: string, username: string, actor: string): Promise<UserChange> {
    const { tenant, user } = await this.find(slug, username);
    const now = this.clock.now();
    const outcome = await this.persistence.transaction(async (repos) => {
      const revoked = await this.sessions.revokeAllIn(repos, tenant, user, actor, now);
      if (!(await repos.users.erase(tenant.id, user.id))) throw new AdminProblem('not_found', `unknown user "${username}"`);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.user.deleted',
        target: user.id,
        before: presentUser(user, now),
        after: null,
      });
      return { user, revoked };
    });
    return this.announced(tenant, outcome);
  }

  async unlock(slug: string, username: string, actor: string): Promise<User> {
    const { tenant, user } = await this.find(slug, username);
    const now = this.clock.now();
    return this.persistence.transaction(async (repos) => {
      const updated = await repos.users.unlock(tenant.id, user.id);
      if (!updated) throw new AdminProblem('not_found', `unknown user "${username}"`);
      const change = {
        actor,
        action: 'admin.user.unlocked',
        target: user.id,
        before: lockState(user, now),
        after: lockState(updated, now),
      };
      await this.audit.recordIn(repos, tenant.id, change);
      return updated;
    });
  }

  /**
   * Removes the user's TOTP factor, recovery codes and passkeys (a lost device): the next sign-in asks for a
   * password only, unless the client asks for `urn:gatehouse:acr:mfa`, which then enrols anew.
   */
  async resetFactors(slug: string, username: string, actor: string): Promise<{ removed: boolean }> {
    const { tenant, user } = await this.find(slug, username);
    return this.persistence.transaction(async (repos) => {
      const totp = await repos.secondFactors.resetFactors(tenant.id, user.id);
      const passkeys = await repos.passkeys.removeAll(tenant.id, user.id);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.user.factors_reset',
        target: user.id,
        before: { totp, passkeys },
        after: { totp: false, passkeys: 0 },
      });
      return { removed: totp || passkeys > 0 };
    });
  }

  /** Live sessions, newest first; `after` is the cursor's key. */
  async listSessions(
    slug: string,
    username: string,
    after: string | null,
    limit: number,
    clientId: string | null = null,
  ): Promise<UserSessionSummary[]> {
    const { tenant, user } = await this.find(slug, username);
    let position: { createdMicros: string; id: string } | null = null;
    if (after !== null) {
      const match = SESSION_CURSOR.exec(after);
      // The microseconds go to a bigint: a number past its range would fail in the database.
      if (!match?.[1] || !match[2] || BigInt(match[1]) > MAX_BIGINT)
        throw new AdminProblem('validation_failed', 'cursor is not valid', 'cursor');
      position = { createdMicros: match[1], id: match[2] };
    }
    return this.persistence.repositories.sessions.listActiveForUser(tenant.id, user.id, this.clock.now(), position, limit, clientId);
  }

  async listConsents(
    slug: string,
    username: string,
    afterClientId: string | null,
    limit: number,
    clientId: string | null = null,
  ): Promise<Consent[]> {
    const { tenant, user } = await this.find(slug, username);
    return this.persistence.repositories.consents.listForUser(tenant.id, user.id, afterClientId, limit, clientId);
  }

  /** Withdraws the consent (for every API) and revokes the grants (refresh token families) the user gave that client under it. */
  async revokeConsent(slug: string, username: string, clientId: string, actor: string): Promise<void> {
    const { tenant, user } = await this.find(slug, username);
    const now = this.clock.now();
    const grantIds = await this.persistence.transaction(async (repos) => {
      const withdrawn = await repos.consents.revoke(tenant.id, user.id, clientId);
      if (!withdrawn) throw new AdminProblem('not_found', `user "${username}" has no consent for client "${clientId}"`);
      const revoked = await repos.refreshTokens.revokeAllForUserAndClient(tenant.id, user.id, clientId, 'consent_revoked', now);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.user.consent_revoked',
        target: user.id,
        before: {
          client_id: clientId,
          scopes: [...new Set(withdrawn.flatMap((entry) => entry.scopes))],
          resources: withdrawn.map((entry) => ({ resource: entry.resource, scopes: entry.scopes })),
        },
        after: { client_id: clientId, grants_revoked: revoked.length },
      });
      return revoked;
    });
    await this.sessions.announce(tenant, grantIds);
  }

  private async find(slug: string, username: string): Promise<{ tenant: Tenant; user: User }> {
    const tenant = await this.tenants.get(slug);
    const user = username.length <= 128 ? await this.persistence.repositories.users.findByUsername(tenant.id, username) : null;
    if (!user) throw new AdminProblem('not_found', `unknown user "${username}"`);
    return { tenant, user };
  }

  private async hashAcceptable(password: string, username: string): Promise<string> {
    const weakness = passwordWeakness(password, username);
    if (weakness) throw new AdminProblem('weak_password', weakness, 'password');
    return hashPassword(password);
  }

  private async announced(tenant: Tenant, change: UserChange & { revoked: { grantIds: readonly string[] } | null }): Promise<UserChange> {
    if (change.revoked) await this.sessions.announce(tenant, change.revoked.grantIds);
    return { user: change.user, revoked: change.revoked && summaryOf(change.revoked) };
  }
}

function checkEmail(email: string): void {
  if (!EMAIL.test(email)) throw new AdminProblem('validation_failed', 'email is not a valid address', 'email');
}

function summaryOf(revoked: RevokedSessions): RevokedSessions {
  return { sessions: revoked.sessions, grants: revoked.grants, backchannelLogouts: revoked.backchannelLogouts };
}

function summary(revoked: RevokedSessions): Record<string, number> {
  return { sessions: revoked.sessions, grants: revoked.grants, backchannel_logouts: revoked.backchannelLogouts };
}

function lockState(user: User, now: Date): Record<string, unknown> {
  const view = presentUser(user, now);
  return {
    locked: view['locked'],
    locked_until: view['locked_until'],
    failed_login_count: view['failed_login_count'],
    hard_locked: view['hard_locked'],
    consecutive_failed_logins: view['consecutive_failed_logins'],
  };
}
