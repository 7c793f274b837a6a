import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { SiemSink } from '@gatehouse/persistence';
import { SIEM_SINK_TYPES } from '@gatehouse/audit';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { EntityTag, IfMatchRequired } from '../http/etag.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { queryBoolean, queryEnum } from '../http/query-filters.js';
import { Principal } from '../http/principal.decorator.js';
import { parsePosition, positionKey } from './siem-cursor.js';
import { parseCreateSinkBody, parseSinkPatch } from './siem-sink.body.js';
import { CREATE_SINK_SCHEMA, PATCH_SINK_SCHEMA, SINK_PAGE_SCHEMA, SINK_SCHEMA } from './siem-sink.openapi.js';
import { presentSink, sinkVersion } from './siem-sink.presenter.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { SiemSinkService } from './siem-sink.service.js';

/** A tenant's SIEM sinks: its admins configure them; its security analysts may read them. */
const SINK_TAG = new EntityTag((sink: SiemSink) => sink.updatedAt, sinkVersion);

@AdminResource('admin/v1/tenants/:tenant/siem-sinks', 'SIEM sinks')
export class SiemSinksController {
  constructor(private readonly siemSinks: SiemSinkService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's SIEM sinks, oldest first (tenant admins and security analysts)" })
  @ApiQuery({ name: 'type', required: false, enum: [...SIEM_SINK_TYPES] })
  @ApiQuery({ name: 'enabled', required: false, enum: ['true', 'false'] })
  @Paginated()
  @ApiOkResponse({ schema: SINK_PAGE_SCHEMA })
  @TenantRole('audit_reader')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) =>
        this.siemSinks.listPage(slug, parsePosition(after), limit, {
          type: queryEnum(query, 'type', SIEM_SINK_TYPES),
          enabled: queryBoolean(query, 'enabled'),
        }),
      positionKey,
      presentSink,
    );
  }

  @Post()
  @ApiOperation({ summary: 'Add a SIEM sink; it receives the records written from now on (token and secret are sealed, never shown)' })
  @ApiBody({ schema: CREATE_SINK_SCHEMA })
  @ApiCreatedResponse({ schema: SINK_SCHEMA })
  @TenantRole('tenant_admin')
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const sink = await this.siemSinks.create({ ...parseCreateSinkBody(body), tenant: slug, actor: principal.subject });
    return SINK_TAG.answer(reply, sink, presentSink(sink));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a sink and its export state; the ETag header is what PATCH sends back in If-Match' })
  @ApiOkResponse({ schema: SINK_SCHEMA })
  @TenantRole('audit_reader')
  async get(
    @Param('tenant') slug: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const sink = await this.siemSinks.get(slug, id);
    return SINK_TAG.answer(reply, sink, presentSink(sink));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Pause or resume a sink (If-Match required: 428 without, 412 when stale)' })
  @IfMatchRequired('sink')
  @ApiBody({ schema: PATCH_SINK_SCHEMA })
  @ApiOkResponse({ schema: SINK_SCHEMA })
  @TenantRole('tenant_admin')
  async update(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const enabled = parseSinkPatch(body);
    const current = await this.siemSinks.get(slug, id);
    SINK_TAG.requireMatch(ifMatch, current);
    const updated = await this.siemSinks.setEnabled(slug, current, enabled, principal.subject);
    return SINK_TAG.answer(reply, updated, presentSink(updated));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a sink and its dead letters' })
  @TenantRole('tenant_admin')
  async remove(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('id') id: string): Promise<void> {
    await this.siemSinks.delete(slug, id, principal.subject);
  }
}
