import { Body, Get, Inject, Param, Post } from '@nestjs/common';
import type { Api } from '@gatehouse/persistence';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { jsonObject, optionalString, requiredString } from '../http/request-body.js';

function presentApi(api: Api): Record<string, unknown> {
  return { id: api.id, identifier: api.identifier, name: api.name, scope: api.scopes.join(' ') };
}

@AdminResource('admin/v1/tenants/:tenant/apis', 'apis')
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
