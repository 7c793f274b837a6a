import { Readable } from 'node:stream';
import { Get, Headers, Param, Query, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AUDIT_RECORD_PAGE_SCHEMA, CHAIN_VERIFICATION_SCHEMA } from './audit-record.openapi.js';
import { GatehouseLogger } from '@gatehouse/observability';
import type { ValidatedClaims } from '@gatehouse/resource-server';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ROLES_CLAIM } from '../auth/admin-roles.js';
import { AdminTokenStanding } from '../auth/admin-token-standing.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { Principal } from '../http/principal.decorator.js';
import { TokenClaims } from '../http/token-claims.decorator.js';
import { AuditEventStream, AuditEventStreams } from './audit-event.stream.js';
import { EXPORT_CONTENT_TYPES, exportChunks } from './audit-record.export.js';
import { presentAuditRecord, presentVerification } from './audit-record.presenter.js';
import { parseAuditFilter, parseExportFormat, parseSequence, parseTimeRange } from './audit-records.query.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { AuditRecordService } from './audit-record.service.js';

/** Security teams' read-only view of a tenant's audit records: query, live tail, export, chain verification. */
@AdminResource('admin/v1/tenants/:tenant/audit-records', 'audit records')
export class AuditRecordsController implements OnModuleDestroy {
  /** Open live tails (read by tests to prove a disconnect ends its poll loop). */
  readonly streams = new AuditEventStreams();

  constructor(
    private readonly auditRecords: AuditRecordService,
    private readonly logger: GatehouseLogger,
    private readonly standing: AdminTokenStanding,
  ) {}

  onModuleDestroy(): void {
    this.streams.closeAll();
  }

  @Get()
  @ApiQuery({ name: 'since', required: false, description: 'ISO 8601, inclusive' })
  @ApiQuery({ name: 'until', required: false, description: 'ISO 8601, exclusive' })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'user', required: false, description: 'user id' })
  @ApiQuery({ name: 'username', required: false })
  @ApiQuery({ name: 'client', required: false, description: 'client_id' })
  @ApiQuery({ name: 'ip', required: false })
  @ApiQuery({ name: 'outcome', required: false, enum: ['success', 'failure'] })
  @ApiQuery({ name: 'min_risk', required: false, description: '0-100' })
  @Paginated()
  @ApiOkResponse({ schema: AUDIT_RECORD_PAGE_SCHEMA })
  @TenantRole('audit_reader')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) => {
        const filter = parseAuditFilter(query);
        return this.auditRecords.list(slug, filter, after === null ? null : parseSequence(after, 'cursor'), limit);
      },
      (record) => String(record.sequence),
      presentAuditRecord,
    );
  }

  /** Server-Sent Events; resumes after Last-Event-ID, otherwise starts at the current head. */
  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this sequence' })
  @ApiQuery({ name: 'last_event_id', required: false })
  @ApiOkResponse({
    description: 'Server-sent events, one `record` event per audit record (its data as in the list), id = sequence',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @TenantRole('audit_reader')
  async stream(
    @Principal() principal: AdminPrincipal,
    @TokenClaims() claims: ValidatedClaims,
    @Param('tenant') slug: string,
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resume = lastEventId ?? query['last_event_id'];
    const tenant = await this.auditRecords.tenant(slug);
    const position =
      resume === undefined || resume === '' ? await this.auditRecords.headSequence(tenant) : parseSequence(resume, 'last_event_id');

    // From here the response is ours: Fastify's hooks no longer run, so the headers are set in full.
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    reply.raw.flushHeaders();
    const stream = new AuditEventStream(
      reply.raw,
      (after, limit) => this.auditRecords.after(tenant, after, limit),
      position,
      () => this.stillReads(claims, slug),
    );
    // The stream lives no longer than the token that opened it: the client reconnects with a fresh
    // token (and Last-Event-ID), which is checked again. Until then every poll re-checks it.
    const expiry = principal.expiresAt
      ? setTimeout(() => stream.close(), Math.max(0, Math.min(principal.expiresAt.getTime() - Date.now(), 2_147_483_647)))
      : null;
    try {
      await this.streams.serve(stream);
    } catch (error) {
      this.logger.error('The audit record stream failed', { err: error, tenant: slug });
    } finally {
      if (expiry) clearTimeout(expiry);
    }
  }

  /**
   * Issue 10 item 1: whether the token that opened a stream still stands (revoked, signed out,
   * disabled) and still carries a role that reads this tenant's records; read from the store
   * on every poll, so the stream ends within a poll of the change.
   */
  private async stillReads(claims: ValidatedClaims, slug: string): Promise<boolean> {
    const current = await this.standing.recheck(claims);
    if (!current) return false;
    try {
      AdminPrincipal.fromClaims(current, ROLES_CLAIM).requireAuditReader(slug);
      return true;
    } catch {
      return false;
    }
  }

  @Get('export')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['ndjson', 'csv'] })
  @ApiQuery({ name: 'since', required: false, description: 'ISO 8601, inclusive' })
  @ApiQuery({ name: 'until', required: false, description: 'ISO 8601, exclusive' })
  @ApiOkResponse({
    description: 'Every record in the window, one JSON object per line (ndjson) or CSV',
    content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
  })
  @TenantRole('audit_reader')
  async export(@Param('tenant') slug: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const format = parseExportFormat(query);
    const range = parseTimeRange(query);
    const tenant = await this.auditRecords.tenant(slug);
    const body = Readable.from(exportChunks(this.auditRecords.exportRange(tenant, range), format));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    void reply
      .header('content-type', EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="audit-${tenant.slug}-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .send(body);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Verify the hash chain of the tenant audit trail' })
  @ApiOkResponse({ schema: CHAIN_VERIFICATION_SCHEMA })
  @TenantRole('audit_reader')
  async verify(@Param('tenant') slug: string): Promise<Record<string, unknown>> {
    return presentVerification(await this.auditRecords.verify(slug));
  }
}
