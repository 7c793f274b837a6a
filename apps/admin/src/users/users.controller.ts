import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { User } from '@gatehouse/persistence';
import { Clock } from '@gatehouse/protocol';
import {
  CONSENT_PAGE_SCHEMA,
  CREATE_USER_SCHEMA,
  PASSWORD_RESET_SCHEMA,
  SESSION_PAGE_SCHEMA,
  SIGNED_OUT_SCHEMA,
  USER_CHANGE_SCHEMA,
  USER_DELETED_SCHEMA,
  USER_PAGE_SCHEMA,
  USER_PATCH_SCHEMA,
  USER_SCHEMA,
} from './user.openapi.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { EntityTag, IfMatchRequired } from '../http/etag.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { queryBoolean, queryEnum, queryText } from '../http/query-filters.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { readBody, optionalBoolean, optionalString, requiredString } from '../http/request-body.js';
import type { RevokedSessions } from './session-revocation.service.js';
import { presentConsent, presentSession, presentUser } from './user.presenter.js';
import { unpatchableUserField, userPatch } from './user-patch.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { UserService } from './user.service.js';
import { SessionRevocationService } from './session-revocation.service.js';

const USER_FIELDS =
  'id, username, email, email_verified, name, status, locked, locked_until, failed_login_count, hard_locked, hard_locked_at, ' +
  'consecutive_failed_logins, last_login_at, created_at';

@AdminResource('admin/v1/tenants/:tenant/users', 'users')
export class UsersController {
  /** A user's ETag covers what the API shows, lock state included (which changes with time). */
  private readonly userTag: EntityTag<User>;

  constructor(
    private readonly users: UserService,
    private readonly sessions: SessionRevocationService,
    private readonly clock: Clock,
  ) {
    this.userTag = new EntityTag(
      (user: User) => user.updatedAt,
      (user: User) => presentUser(user, clock.now()),
    );
  }

  @Get()
  @ApiOperation({
    summary: 'List users',
    description: `Cursor-paginated by username; the filters combine (AND). Each item: ${USER_FIELDS}.`,
  })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'disabled'] })
  @ApiQuery({ name: 'email', required: false, description: 'exact, case-insensitive' })
  @ApiQuery({ name: 'username_prefix', required: false })
  @ApiQuery({
    name: 'locked',
    required: false,
    enum: ['true', 'false'],
    description: 'locked out now (hard-locked, or locked_until in the future)',
  })
  @Paginated()
  @ApiOkResponse({ schema: USER_PAGE_SCHEMA })
  @TenantRole('tenant_admin')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    const now = this.clock.now();
    return pageOf(
      query,
      (after, limit) =>
        this.users.listPage(slug, after, limit, {
          status: queryEnum(query, 'status', ['active', 'disabled'] as const),
          email: queryText(query, 'email', 320),
          usernamePrefix: queryText(query, 'username_prefix', 128),
          locked: queryBoolean(query, 'locked'),
        }),
      (user) => user.username,
      (user) => presentUser(user, now),
    );
  }

  @Post()
  @ApiOperation({ summary: 'Create a user', description: 'Body: username, email?, password? (checked against the password policy).' })
  @ApiBody({ schema: CREATE_USER_SCHEMA })
  @ApiCreatedResponse({ schema: USER_SCHEMA })
  @TenantRole('tenant_admin')
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    const input = readBody(CREATE_USER_SCHEMA, body);
    const user = await this.users.create(
      {
        tenant: slug,
        username: requiredString(input, 'username'),
        email: optionalString(input, 'email'),
        password: optionalString(input, 'password'),
      },
      principal.subject,
    );
    return presentUser(user, this.clock.now());
  }

  @Get(':username')
  @ApiOperation({ summary: 'Get a user', description: `Fields: ${USER_FIELDS}; never a password hash. The ETag is for PATCH's If-Match.` })
  @ApiOkResponse({ schema: USER_SCHEMA })
  @TenantRole('tenant_admin')
  async get(
    @Param('tenant') slug: string,
    @Param('username') username: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const user = await this.users.get(slug, username);
    return this.userTag.answer(reply, user, presentUser(user, this.clock.now()));
  }

  @Patch(':username')
  @ApiOperation({
    summary: 'Update a user',
    description:
      'email, name, email_verified, status (active | disabled). Changing email resets email_verified unless it is sent too. ' +
      'Setting status to disabled also signs the user out everywhere (sessions ended, grants revoked, back-channel logouts queued), ' +
      'in the same transaction; the response then carries `signed_out` counts.',
  })
  @IfMatchRequired('user')
  @ApiBody({ schema: USER_PATCH_SCHEMA })
  @ApiOkResponse({ schema: USER_CHANGE_SCHEMA })
  @TenantRole('tenant_admin')
  async update(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const changes = userPatch(readBody(USER_PATCH_SCHEMA, body, { refuse: unpatchableUserField }));
    const current = await this.users.get(slug, username);
    this.userTag.requireMatch(ifMatch, current);
    const { user, revoked } = await this.users.update(slug, current, changes, principal.subject);
    return this.userTag.answer(reply, user, {
      ...presentUser(user, this.clock.now()),
      ...(revoked ? { signed_out: presentRevoked(revoked) } : {}),
    });
  }

  @Post(':username/password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset a password',
    description:
      'Body: password (checked against the password policy: 400 weak_password), end_sessions (default true: sign the user out everywhere). ' +
      'Clears the temporary lockout; a hard lock stays until POST .../unlock. The password is never logged or audited.',
  })
  @ApiBody({ schema: PASSWORD_RESET_SCHEMA })
  @ApiOkResponse({ schema: USER_CHANGE_SCHEMA })
  @TenantRole('tenant_admin')
  async resetPassword(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    const input = readBody(PASSWORD_RESET_SCHEMA, body);
    const password = requiredString(input, 'password');
    const endSessions = optionalBoolean(input, 'end_sessions') ?? true;
    const { user, revoked } = await this.users.resetPassword(slug, username, password, endSessions, principal.subject);
    return { ...presentUser(user, this.clock.now()), signed_out: revoked ? presentRevoked(revoked) : null };
  }

  @Post(':username/unlock')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Unlock a user',
    description:
      'Lifts the temporary lock (locked_until) and the hard lock (hard_locked, reached after hard_lock_threshold consecutive ' +
      'failures, which only this lifts), and resets failed_login_count and consecutive_failed_logins. Audited as admin.change ' +
      '(admin.user.unlocked) with the lock state before and after.',
  })
  @ApiResponse({ status: 204, description: 'Unlocked (also when the user was not locked).' })
  @ApiResponse({ status: 404, description: 'No such user in this tenant.' })
  @TenantRole('tenant_admin')
  async unlock(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('username') username: string): Promise<void> {
    await this.users.unlock(slug, username, principal.subject);
  }

  @Post(':username/reset-factors')
  @HttpCode(204)
  @ApiOperation({
    summary: "Reset a user's second factors",
    description: 'Removes the TOTP factor, the recovery codes and every passkey; audited as admin.user.factors_reset.',
  })
  @ApiResponse({ status: 204, description: 'Reset (also when there was nothing to remove).' })
  @TenantRole('tenant_admin')
  async resetFactors(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
  ): Promise<void> {
    await this.users.resetFactors(slug, username, principal.subject);
  }

  @Get(':username/sessions')
  @ApiOperation({
    summary: "List a user's active sessions",
    description: 'Newest first, cursor-paginated: id, created_at, auth_time, expires_at, amr, client_ids. Never a session secret.',
  })
  @ApiQuery({ name: 'client', required: false, description: 'only sessions this client_id holds a code or grant in' })
  @Paginated()
  @ApiOkResponse({ schema: SESSION_PAGE_SCHEMA })
  @TenantRole('tenant_admin')
  async listSessions(
    @Param('tenant') slug: string,
    @Param('username') username: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) => this.users.listSessions(slug, username, after, limit, queryText(query, 'client', 128) ?? null),
      (session) => `${session.cursor.createdMicros}.${session.cursor.id}`,
      presentSession,
    );
  }

  @Delete(':username')
  @ApiOperation({
    summary: 'Delete a user (erasure)',
    description:
      'Ends every session (back-channel logouts queued), revokes every grant, then deletes the user with their sessions, ' +
      'consents, second factors, passkeys, codes and grants. Their access tokens stop being accepted at once. Audited as ' +
      'admin.change (admin.user.deleted, the user as it was); audit records already written stay (append-only). Answers what was signed out.',
  })
  @ApiResponse({ status: 404, description: 'No such user in this tenant.' })
  @ApiOkResponse({ schema: USER_DELETED_SCHEMA })
  @TenantRole('tenant_admin')
  async erase(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
  ): Promise<Record<string, unknown>> {
    const { user, revoked } = await this.users.erase(slug, username, principal.subject);
    return { deleted: user.username, signed_out: revoked ? presentRevoked(revoked) : null };
  }

  /** Signs the user out everywhere: sessions ended, grants revoked, back-channel logouts queued. */
  @Delete(':username/sessions')
  @ApiOperation({
    summary: 'Sign a user out everywhere',
    description: 'Ends every session, revokes every grant, queues back-channel logouts.',
  })
  @ApiOkResponse({ schema: SIGNED_OUT_SCHEMA })
  @TenantRole('tenant_admin')
  async revokeSessions(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
  ): Promise<Record<string, unknown>> {
    await this.users.get(slug, username);
    return presentRevoked(await this.sessions.revokeAll(slug, username, principal.subject));
  }

  @Get(':username/consents')
  @ApiOperation({
    summary: "List a user's consents",
    description:
      'Cursor-paginated by client_id: client_id, scopes (every scope granted the client), granted_at, and resources: ' +
      'per API, {resource, scopes, granted_at}, where resource is the API identifier, or null for the OpenID scopes ' +
      '(and for consents recorded before consent was per API, which cover no API).',
  })
  @ApiQuery({ name: 'client', required: false, description: 'only the consent given to this client_id' })
  @Paginated()
  @ApiOkResponse({ schema: CONSENT_PAGE_SCHEMA })
  @TenantRole('tenant_admin')
  async listConsents(
    @Param('tenant') slug: string,
    @Param('username') username: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) => this.users.listConsents(slug, username, after, limit, queryText(query, 'client', 128) ?? null),
      (consent) => consent.clientId,
      presentConsent,
    );
  }

  @Delete(':username/consents/:clientId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a consent',
    description:
      'Withdraws the consent, for every API, and revokes the grants (refresh token families) the user gave that client. 404 if there is none.',
  })
  @ApiResponse({ status: 204, description: 'Revoked.' })
  @TenantRole('tenant_admin')
  async revokeConsent(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
    @Param('clientId') clientId: string,
  ): Promise<void> {
    await this.users.revokeConsent(slug, username, clientId, principal.subject);
  }
}

function presentRevoked(revoked: RevokedSessions): Record<string, number> {
  return { sessions: revoked.sessions, grants: revoked.grants, backchannel_logouts: revoked.backchannelLogouts };
}
