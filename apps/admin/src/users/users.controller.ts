import { Body, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import type { User } from '@gatehouse/persistence';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { parsePageRequest, toPage, type Page } from '../http/pagination.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { jsonObject, optionalString, requiredString } from '../http/request-body.js';

function presentUser(user: User): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    status: user.status,
    created_at: user.createdAt.toISOString(),
  };
}

@AdminResource('admin/v1/tenants/:tenant/users', 'users')
export class UsersController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  async list(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Page<Record<string, unknown>>> {
    principal.requireTenantAdmin(slug);
    const page = parsePageRequest(query);
    return toPage(await this.services.users.listPage(slug, page.after, page.limit + 1), page, (user) => user.username, presentUser);
  }

  @Post()
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const input = jsonObject(body);
    const user = await this.services.users.create({
      tenant: slug,
      username: requiredString(input, 'username'),
      email: optionalString(input, 'email'),
      password: optionalString(input, 'password'),
    });
    await this.services.audit.record(slug, principal.subject, 'admin.user.created', user.id, null, presentUser(user));
    return presentUser(user);
  }

  @Get(':username')
  async get(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    return presentUser(await this.services.users.get(slug, username));
  }

  /** Signs the user out everywhere: sessions ended, grants revoked, back-channel logouts queued. */
  @Delete(':username/sessions')
  async revokeSessions(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('username') username: string,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const user = await this.services.users.get(slug, username);
    const revoked = await this.services.sessions.revokeAll(slug, username, principal.subject);
    await this.services.audit.record(slug, principal.subject, 'admin.user.sessions_revoked', user.id, null, { ...revoked });
    return { sessions: revoked.sessions, grants: revoked.grants, backchannel_logouts: revoked.backchannelLogouts };
  }
}
