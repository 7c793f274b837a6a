import { Body, Delete, Get, Headers, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Tenant } from '@gatehouse/persistence';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { queryEnum, queryText } from '../http/query-filters.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { EntityTag, IfMatchRequired } from '../http/etag.js';
import { readBody, optionalString, requiredString } from '../http/request-body.js';
import { CREATE_TENANT_SCHEMA, TENANT_PAGE_SCHEMA, TENANT_SCHEMA, UPDATE_TENANT_SCHEMA } from './tenant.openapi.js';
import { presentTenant } from './tenant.presenter.js';
import { parseTenantSettings } from './tenant-settings.body.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { TenantService } from './tenant.service.js';
import { PUBLIC_URL } from '../admin-injection-tokens.js';

@AdminResource('admin/v1/tenants', 'tenants')
export class TenantsController {
  private readonly tag: EntityTag<Tenant>;

  constructor(
    private readonly tenants: TenantService,
    @Inject(PUBLIC_URL) private readonly publicUrl: string,
  ) {
    this.tag = new EntityTag(
      (tenant) => tenant.updatedAt,
      (tenant) => presentTenant(tenant, publicUrl),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List tenants (platform admins)' })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'disabled'] })
  @ApiQuery({ name: 'slug_prefix', required: false, description: 'slugs starting with this text' })
  @Paginated()
  @ApiOkResponse({ schema: TENANT_PAGE_SCHEMA })
  @TenantRole('platform_admin')
  async list(@Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) =>
        this.tenants.listPage(after, limit, {
          status: queryEnum(query, 'status', ['active', 'disabled'] as const),
          slugPrefix: queryText(query, 'slug_prefix', 63),
        }),
      (tenant) => tenant.slug,
      (tenant) => presentTenant(tenant, this.publicUrl),
    );
  }

  @Post()
  @ApiOperation({ summary: 'Create a tenant with its first signing keys (platform admins)' })
  @ApiBody({ schema: CREATE_TENANT_SCHEMA })
  @ApiCreatedResponse({ schema: TENANT_SCHEMA })
  @TenantRole('platform_admin')
  async create(@Principal() principal: AdminPrincipal, @Body() body: unknown): Promise<Record<string, unknown>> {
    const input = readBody(CREATE_TENANT_SCHEMA, body);
    const created = await this.tenants.create(requiredString(input, 'slug'), optionalString(input, 'name'), {
      accessTokenAlg: optionalString(input, 'access_token_alg'),
      securityProfile: optionalString(input, 'security_profile'),
      actor: principal.subject,
    });
    return presentTenant(await this.tenants.get(created.slug), this.publicUrl);
  }

  @Get(':tenant')
  @ApiOperation({ summary: "A tenant's settings, with an ETag for updates; policies are the effective ones (defaults merged)" })
  @ApiOkResponse({ schema: TENANT_SCHEMA })
  @TenantRole('tenant_admin')
  async get(@Param('tenant') slug: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const tenant = await this.tenants.get(slug);
    return this.tag.answer(reply, tenant, presentTenant(tenant, this.publicUrl));
  }

  /** Settings, with If-Match optimistic concurrency. Disabling a tenant is for platform admins. */
  @Delete(':tenant')
  @ApiOperation({
    summary: 'Delete a tenant and everything in it (platform admins)',
    description:
      "Users, clients, APIs, keys, sessions, grants, SIEM sinks and the tenant's audit trail are deleted; its issuer stops answering. " +
      'Confirm with ?confirm={slug}. The system tenant cannot be deleted. Audited in the system tenant (admin.tenant.deleted).',
  })
  @ApiQuery({ name: 'confirm', required: true, description: 'The slug again' })
  @ApiResponse({ status: 400, description: 'confirm missing or not the slug, or the system tenant.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { deleted: { type: 'string', description: 'the slug' } } } })
  @TenantRole('tenant_admin', 'platform_admin')
  async delete(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Query('confirm') confirm: unknown,
  ): Promise<Record<string, unknown>> {
    const deleted = await this.tenants.delete(slug, typeof confirm === 'string' ? confirm : undefined, principal.subject);
    return { deleted: deleted.slug };
  }

  @Patch(':tenant')
  @ApiOperation({ summary: 'Change settings or disable (platform admins; If-Match required)' })
  @IfMatchRequired('tenant')
  @ApiBody({ schema: UPDATE_TENANT_SCHEMA })
  @ApiOkResponse({ schema: TENANT_SCHEMA })
  // 404 first for a caller of another tenant (no existence leak), then 403: tenants are a platform admin's to change.
  @TenantRole('tenant_admin', 'platform_admin')
  async update(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const input = readBody(UPDATE_TENANT_SCHEMA, body);
    const current = await this.tenants.get(slug);
    this.tag.requireMatch(ifMatch, current);
    const settings = parseTenantSettings(input);
    const updated = await this.tenants.update(slug, current, settings, principal.subject);
    return this.tag.answer(reply, updated, presentTenant(updated, this.publicUrl));
  }
}
