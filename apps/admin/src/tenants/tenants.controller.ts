import { Body, Controller, Get, Inject, Param, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import type { Tenant } from '@gatehouse/persistence';
import { issuerFor } from '@gatehouse/protocol';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BearerAuthGuard } from '@gatehouse/resource-server';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { parsePageRequest, toPage, type Page } from '../http/pagination.js';
import { Principal } from '../http/principal.decorator.js';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { jsonObject, optionalString, requiredString } from '../http/request-body.js';

@Controller('admin/v1/tenants')
@UseGuards(BearerAuthGuard)
@ApiTags('tenants')
@ApiBearerAuth()
@UseFilters(ProblemDetailsFilter)
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
  async get(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    return this.present(await this.services.tenants.get(slug));
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
      created_at: tenant.createdAt.toISOString(),
    };
  }
}
