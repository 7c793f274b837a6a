import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { Principal } from '../http/principal.decorator.js';
import { queryEnum } from '../http/query-filters.js';
import { readBody, optionalNumber } from '../http/request-body.js';
import {
  CREATE_REGISTRATION_TOKEN_SCHEMA,
  CREATED_REGISTRATION_TOKEN_SCHEMA,
  REGISTRATION_TOKEN_PAGE_SCHEMA,
} from './registration-token.openapi.js';
import { parsePolicyInput } from './registration-policy.input.js';
import { parsePosition, positionKey } from '../siem-sinks/siem-cursor.js';
import { presentRegistrationToken } from './registration-token.presenter.js';
import { REGISTRATION_TOKEN_STATES } from './registration-token.service.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { RegistrationTokenService } from './registration-token.service.js';

@AdminResource('admin/v1/tenants/:tenant/registration-tokens', 'registration-tokens')
export class RegistrationTokensController {
  constructor(private readonly registrationTokens: RegistrationTokenService) {}

  @Get()
  @ApiOperation({ summary: 'Initial access tokens (never the token), oldest first, cursor-paginated' })
  @ApiQuery({ name: 'state', required: false, enum: [...REGISTRATION_TOKEN_STATES], description: 'expired: past expires_at, not revoked' })
  @Paginated()
  @ApiOkResponse({ schema: REGISTRATION_TOKEN_PAGE_SCHEMA })
  @TenantRole('tenant_admin')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) =>
        this.registrationTokens.listPage(slug, parsePosition(after), limit, queryEnum(query, 'state', REGISTRATION_TOKEN_STATES)),
      positionKey,
      presentRegistrationToken,
    );
  }

  @Post()
  @ApiOperation({ summary: 'Create an initial access token (RFC 7591 §3) bounded by a registration policy; the token is shown once' })
  @ApiBody({ schema: CREATE_REGISTRATION_TOKEN_SCHEMA, required: false })
  @ApiCreatedResponse({ schema: CREATED_REGISTRATION_TOKEN_SCHEMA })
  @TenantRole('tenant_admin')
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    const input = readBody(CREATE_REGISTRATION_TOKEN_SCHEMA, body, { optional: true });
    const { token, registrationToken } = await this.registrationTokens.create(
      slug,
      optionalNumber(input, 'expires_in'),
      principal.subject,
      parsePolicyInput(input['policy']),
    );
    return { ...presentRegistrationToken(registrationToken), token };
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantRole('tenant_admin')
  async revoke(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('id') id: string): Promise<void> {
    await this.registrationTokens.revoke(slug, id, principal.subject);
  }
}
