import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Api } from '@gatehouse/persistence';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { EntityTag, IfMatchRequired } from '../http/etag.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { queryText } from '../http/query-filters.js';
import { Principal } from '../http/principal.decorator.js';
import { readBody, optionalString, requiredString } from '../http/request-body.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { API_LIST_SCHEMA, API_SCHEMA, CREATE_API_SCHEMA, UPDATE_API_SCHEMA } from './api.openapi.js';
import { presentApi } from './api.presenter.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { ApiService } from './api.service.js';

/** APIs keep no updated_at: their version is their content, which the representation carries whole. */
// APIs keep no update time: the version is the representation alone.
const API_TAG = new EntityTag((_api: Api) => new Date(0), presentApi);

@AdminResource('admin/v1/tenants/:tenant/apis', 'apis')
export class ApisController {
  constructor(private readonly apis: ApiService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's APIs (RFC 8707 resources) and their scopes, cursor-paginated by identifier" })
  @ApiQuery({ name: 'identifier', required: false, description: 'exact resource identifier' })
  @ApiQuery({ name: 'scope', required: false, description: 'APIs defining this scope' })
  @Paginated()
  @ApiOkResponse({ schema: API_LIST_SCHEMA })
  @TenantRole('tenant_admin')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) =>
        this.apis.listPage(slug, after, limit, {
          identifier: queryText(query, 'identifier', 2000),
          scope: queryText(query, 'scope'),
        }),
      (api) => api.identifier,
      presentApi,
    );
  }

  @Post()
  @ApiOperation({ summary: 'Register an API' })
  @ApiBody({ schema: CREATE_API_SCHEMA })
  @ApiCreatedResponse({ schema: API_SCHEMA })
  @TenantRole('tenant_admin')
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    const input = readBody(CREATE_API_SCHEMA, body);
    const api = await this.apis.create(
      {
        tenant: slug,
        identifier: requiredString(input, 'identifier'),
        scope: requiredString(input, 'scope'),
        name: optionalString(input, 'name'),
      },
      principal.subject,
    );
    return presentApi(api);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One API, with an ETag for updates' })
  @ApiOkResponse({ schema: API_SCHEMA })
  @TenantRole('tenant_admin')
  async get(
    @Param('tenant') slug: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const api = await this.apis.get(slug, id);
    return API_TAG.answer(reply, api, presentApi(api));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the name or scopes (If-Match required); the identifier cannot change' })
  @IfMatchRequired('API')
  @ApiBody({ schema: UPDATE_API_SCHEMA })
  @ApiOkResponse({ schema: API_SCHEMA })
  @TenantRole('tenant_admin')
  async update(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const input = readBody(UPDATE_API_SCHEMA, body);
    const current = await this.apis.get(slug, id);
    API_TAG.requireMatch(ifMatch, current);
    if (input['identifier'] !== undefined && input['identifier'] !== current.identifier)
      throw new AdminProblem('validation_failed', 'identifier cannot change: register a new API instead', 'identifier');
    const updated = await this.apis.update(
      slug,
      current,
      { name: optionalString(input, 'name'), scope: optionalString(input, 'scope') },
      principal.subject,
    );
    return API_TAG.answer(reply, updated, presentApi(updated));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Delete an API (the system tenant's admin API cannot be deleted: 409)" })
  @ApiNoContentResponse()
  @TenantRole('tenant_admin')
  async remove(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('id') id: string): Promise<void> {
    await this.apis.remove(slug, id, principal.subject);
  }
}
