import { Body, Controller, Get, Inject, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Api } from '@gatehouse/persistence';
import { BearerAuthGuard } from '@gatehouse/resource-server';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { Principal } from '../http/principal.decorator.js';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { jsonObject, optionalString, requiredString } from '../http/request-body.js';

function presentApi(api: Api): Record<string, unknown> {
  return { id: api.id, identifier: api.identifier, name: api.name, scope: api.scopes.join(' ') };
}

@Controller('admin/v1/tenants/:tenant/apis')
@UseGuards(BearerAuthGuard)
@ApiTags('apis')
@ApiBearerAuth()
@UseFilters(ProblemDetailsFilter)
export class ApisController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  async list(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string): Promise<{ items: Record<string, unknown>[] }> {
    principal.requireTenantAdmin(slug);
    return { items: (await this.services.apis.list(slug)).map(presentApi) };
  }

  @Post()
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const input = jsonObject(body);
    const api = await this.services.apis.create({
      tenant: slug,
      identifier: requiredString(input, 'identifier'),
      scope: requiredString(input, 'scope'),
      name: optionalString(input, 'name'),
    });
    await this.services.audit.record(slug, principal.subject, 'admin.api.created', api.identifier, null, presentApi(api));
    return presentApi(api);
  }
}
