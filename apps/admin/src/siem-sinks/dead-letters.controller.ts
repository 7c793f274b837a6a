import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { Principal } from '../http/principal.decorator.js';
import { readBody, optionalString } from '../http/request-body.js';
import { parsePosition, positionKey } from './siem-cursor.js';
import { DEAD_LETTER_PAGE_SCHEMA, REPLAY_SCHEMA } from './siem-sink.openapi.js';
import { presentDeadLetter } from './siem-sink.presenter.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { DeadLetterService } from './dead-letter.service.js';

/** Records a sink gave up on after its attempts: listed for the tenant's admins and analysts, replayed by its admins. */
@AdminResource('admin/v1/tenants/:tenant/dead-letters', 'SIEM sinks')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({ summary: 'Pending (undelivered) dead letters, oldest first' })
  @ApiQuery({ name: 'sink', required: false, description: 'only this sink' })
  @Paginated()
  @ApiOkResponse({ schema: DEAD_LETTER_PAGE_SCHEMA })
  @TenantRole('audit_reader')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) => {
        const sink = query['sink'];
        if (sink !== undefined && typeof sink !== 'string') throw new AdminProblem('validation_failed', 'sink must be one sink id', 'sink');
        return this.deadLetters.listPending(slug, sink || null, parsePosition(after), limit);
      },
      positionKey,
      presentDeadLetter,
    );
  }

  /** 202: the exporter sends them on its next pass; each is delivered or, failing again, stays pending. */
  @Post('replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask the exporter to send the pending dead letters again' })
  @ApiBody({ schema: REPLAY_SCHEMA, required: false })
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { replayed: { type: 'integer' } } } })
  @TenantRole('tenant_admin')
  async replay(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<{ replayed: number }> {
    const input = readBody(REPLAY_SCHEMA, body, { optional: true, member: 'a replay option' });
    const sink = optionalString(input, 'sink');
    return { replayed: await this.deadLetters.replay(slug, sink || null, principal.subject) };
  }
}
