import { Body, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { parsePageRequest, toPage, type Page } from '../http/pagination.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { jsonObject, optionalBoolean, optionalString, optionalStringArray, requiredString } from '../http/request-body.js';
import { presentClient } from './client.presenter.js';

@AdminResource('admin/v1/tenants/:tenant/clients', 'clients')
export class ClientsController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  async list(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Page<Record<string, unknown>>> {
    principal.requireTenantAdmin(slug);
    const page = parsePageRequest(query);
    const rows = await this.services.clients.listPage(slug, page.after, page.limit + 1);
    return toPage(rows, page, (client) => client.clientId, presentClient);
  }

  @Post()
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const input = jsonObject(body);
    const authMethod = optionalString(input, 'token_endpoint_auth_method');
    const firstParty = optionalBoolean(input, 'first_party');
    if (firstParty && !principal.isPlatformAdmin)
      throw new AdminProblem('forbidden', 'only a platform admin may mark a client first-party');
    const { client, clientSecret } = await this.services.clients.create({
      tenant: slug,
      name: requiredString(input, 'client_name'),
      public: authMethod === 'none',
      applicationType: optionalString(input, 'application_type'),
      redirectUris: optionalStringArray(input, 'redirect_uris'),
      grantTypes: optionalStringArray(input, 'grant_types'),
      scope: optionalString(input, 'scope'),
      authMethod,
      jwks: input['jwks'] ?? undefined,
      firstParty,
      postLogoutRedirectUris: optionalStringArray(input, 'post_logout_redirect_uris'),
      backchannelLogoutUri: optionalString(input, 'backchannel_logout_uri'),
    });
    await this.services.audit.record(slug, principal.subject, 'admin.client.created', client.clientId, null, presentClient(client));
    return { ...presentClient(client), ...(clientSecret ? { client_secret: clientSecret } : {}) };
  }

  @Get(':clientId')
  async get(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('clientId') clientId: string,
  ): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    return presentClient(await this.services.clients.get(slug, clientId));
  }

  @Delete(':clientId')
  @HttpCode(204)
  async remove(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('clientId') clientId: string): Promise<void> {
    principal.requireTenantAdmin(slug);
    const removed = await this.services.clients.delete(slug, clientId);
    await this.services.audit.record(slug, principal.subject, 'admin.client.deleted', clientId, presentClient(removed), null);
  }
}
