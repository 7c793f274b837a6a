import { Body, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { jsonObject, optionalNumber } from '../http/request-body.js';
import { presentRegistrationToken } from './registration-token.presenter.js';

@AdminResource('admin/v1/tenants/:tenant/registration-tokens', 'registration-tokens')
export class RegistrationTokensController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  async list(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string): Promise<{ items: Record<string, unknown>[] }> {
    principal.requireTenantAdmin(slug);
    return { items: (await this.services.registrationTokens.list(slug)).map(presentRegistrationToken) };
  }

  @Post()
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const input = body === undefined || body === null ? {} : jsonObject(body);
    const { token, registrationToken } = await this.services.registrationTokens.create(
      slug,
      optionalNumber(input, 'expires_in'),
      principal.subject,
    );
    return { ...presentRegistrationToken(registrationToken), token };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('id') id: string): Promise<void> {
    principal.requireTenantAdmin(slug);
    await this.services.registrationTokens.revoke(slug, id, principal.subject);
  }
}
