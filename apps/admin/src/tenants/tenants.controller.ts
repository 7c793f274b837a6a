import { Body, Get, Headers, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Tenant } from '@gatehouse/persistence';
import { issuerFor } from '@gatehouse/protocol';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { parsePageRequest, toPage, type Page } from '../http/pagination.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { etagFor, requireIfMatch } from '../http/etag.js';
import { jsonObject, optionalBoolean, optionalNumber, optionalString, requiredString } from '../http/request-body.js';

@AdminResource('admin/v1/tenants', 'tenants')
export class TenantsController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  async list(@Principal() principal: AdminPrincipal, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    principal.requirePlatformAdmin();
    const page = parsePageRequest(query);
    const rows = await this.services.tenants.listPage(page.after, page.limit + 1);
    return toPage(
      rows,
      page,
      (tenant) => tenant.slug,
      (tenant) => this.present(tenant),
    );
  }

  @Post()
  async create(@Principal() principal: AdminPrincipal, @Body() body: unknown): Promise<Record<string, unknown>> {
    principal.requirePlatformAdmin();
    const input = jsonObject(body);
    const created = await this.services.tenants.create(requiredString(input, 'slug'), optionalString(input, 'name'));
    const tenant = await this.services.tenants.get(created.slug);
    await this.services.audit.record(tenant.slug, principal.subject, 'admin.tenant.created', tenant.slug, null, this.present(tenant));
    return this.present(tenant);
  }

  @Get(':tenant')
  async get(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const tenant = await this.services.tenants.get(slug);
    const body = this.present(tenant);
    void reply.header('etag', etagFor(tenant.updatedAt, body));
    return body;
  }

  /** Settings, with If-Match optimistic concurrency. Disabling a tenant is for platform admins. */
  @Patch(':tenant')
  async update(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const input = jsonObject(body);
    const current = await this.services.tenants.get(slug);
    const before = this.present(current);
    requireIfMatch(ifMatch, etagFor(current.updatedAt, before));
    const status = optionalString(input, 'status');
    if (status !== undefined) {
      principal.requirePlatformAdmin();
      if (status !== 'active' && status !== 'disabled')
        throw new AdminProblem('validation_failed', 'status must be active or disabled', 'status');
    }
    const updated = await this.services.tenants.update(slug, current, {
      name: optionalString(input, 'name'),
      status: status,
      accessTokenTtlSeconds: optionalNumber(input, 'access_token_ttl_seconds'),
      idTokenTtlSeconds: optionalNumber(input, 'id_token_ttl_seconds'),
      refreshTokenIdleTtlSeconds: optionalNumber(input, 'refresh_token_idle_ttl_seconds'),
      refreshTokenAbsoluteTtlSeconds: optionalNumber(input, 'refresh_token_absolute_ttl_seconds'),
      refreshWithoutOfflineAccess: optionalBoolean(input, 'refresh_without_offline_access'),
    });
    const after = this.present(updated);
    await this.services.audit.record(slug, principal.subject, 'admin.tenant.updated', slug, before, after);
    void reply.header('etag', etagFor(updated.updatedAt, after));
    return after;
  }

  private present(tenant: Tenant): Record<string, unknown> {
    return {
      slug: tenant.slug,
      name: tenant.name,
      issuer: issuerFor(this.services.publicUrl, tenant.slug),
      status: tenant.status,
      access_token_alg: tenant.accessTokenAlg,
      access_token_ttl_seconds: tenant.accessTokenTtlSeconds,
      refresh_token_idle_ttl_seconds: tenant.refreshTokenIdleTtlSeconds,
      refresh_token_absolute_ttl_seconds: tenant.refreshTokenAbsoluteTtlSeconds,
      refresh_without_offline_access: tenant.refreshWithoutOfflineAccess,
      id_token_ttl_seconds: tenant.idTokenTtlSeconds,
      created_at: tenant.createdAt.toISOString(),
    };
  }
}
