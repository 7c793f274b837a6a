import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Client } from '@gatehouse/persistence';
import { GRANT_TYPES, TLS_CLIENT_AUTH_SUBJECT_FIELDS, TOKEN_ENDPOINT_AUTH_METHODS } from '@gatehouse/protocol';
import type { FastifyReply } from 'fastify';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { EntityTag, IfMatchRequired } from '../http/etag.js';
import { pageOf, Paginated, type Page } from '../http/pagination.js';
import { queryBoolean, queryEnum, queryText } from '../http/query-filters.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { readBody, optionalBoolean, optionalNumber, optionalString, optionalStringArray, requiredString } from '../http/request-body.js';
import {
  CLIENT_CREATE_SCHEMA,
  CLIENT_PAGE_SCHEMA,
  CLIENT_PATCH_SCHEMA,
  CLIENT_SCHEMA,
  CLIENT_WITH_SECRET_SCHEMA,
  SECRET_ROTATION_SCHEMA,
} from './client.openapi.js';
import { presentClient } from './client.presenter.js';
import { unchangeableClientField } from './client-metadata.mapping.js';
import { DEFAULT_GRACE_PERIOD_SECONDS } from './client.service.js';
import { parseClientRateLimits } from './client-rate-limits.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { ClientService } from './client.service.js';

const CLIENT_MEMBERS = new Set([
  ...Object.keys(CLIENT_CREATE_SCHEMA.properties ?? {}),
  ...Object.keys(CLIENT_SCHEMA.properties ?? {}),
  'client_secret',
]);
const CLIENT_TAG = new EntityTag((client: Client) => client.updatedAt, presentClient);

@AdminResource('admin/v1/tenants/:tenant/clients', 'clients')
export class ClientsController {
  constructor(private readonly clients: ClientService) {}

  @Get()
  @ApiOperation({ summary: 'List clients', description: 'Cursor-paginated by client_id; the filters combine (AND).' })
  @ApiQuery({ name: 'application_type', required: false, enum: ['web', 'native'] })
  @ApiQuery({ name: 'token_endpoint_auth_method', required: false, enum: [...TOKEN_ENDPOINT_AUTH_METHODS] })
  @ApiQuery({ name: 'grant_type', required: false, enum: [...GRANT_TYPES], description: 'clients allowed this grant type' })
  @ApiQuery({ name: 'first_party', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'name', required: false, description: 'client_name contains this text (case-insensitive, no wildcards)' })
  @Paginated()
  @ApiOkResponse({ schema: CLIENT_PAGE_SCHEMA })
  @TenantRole('tenant_admin')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<Page<Record<string, unknown>>> {
    return pageOf(
      query,
      (after, limit) =>
        this.clients.listPage(slug, after, limit, {
          applicationType: queryEnum(query, 'application_type', ['web', 'native'] as const),
          authMethod: queryEnum(query, 'token_endpoint_auth_method', TOKEN_ENDPOINT_AUTH_METHODS),
          grantType: queryEnum(query, 'grant_type', GRANT_TYPES),
          firstParty: queryBoolean(query, 'first_party'),
          nameContains: queryText(query, 'name'),
        }),
      (client) => client.clientId,
      presentClient,
    );
  }

  @Post()
  @ApiBody({ schema: CLIENT_CREATE_SCHEMA })
  @ApiCreatedResponse({ schema: CLIENT_WITH_SECRET_SCHEMA })
  @TenantRole('tenant_admin')
  async create(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    const input = readBody(CLIENT_CREATE_SCHEMA, body);
    const authMethod = optionalString(input, 'token_endpoint_auth_method');
    const firstParty = optionalBoolean(input, 'first_party');
    if (firstParty && !principal.isPlatformAdmin)
      throw new AdminProblem('forbidden', 'only a platform admin may mark a client first-party');
    const { client, clientSecret } = await this.clients.create({
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
      rotateRefreshTokens: optionalBoolean(input, 'rotate_refresh_tokens'),
      requirePushedAuthorizationRequests: optionalBoolean(input, 'require_pushed_authorization_requests'),
      requireSignedRequestObject: optionalBoolean(input, 'require_signed_request_object'),
      requestObjectSigningAlg: optionalString(input, 'request_object_signing_alg'),
      dpopBoundAccessTokens: optionalBoolean(input, 'dpop_bound_access_tokens'),
      mutualTls: mutualTlsMembers(input),
      authorizationDetailsTypes: optionalStringArray(input, 'authorization_details_types'),
      resourceServerFor: optionalStringArray(input, 'resource_server_for'),
      rateLimitPolicy: parseClientRateLimits(input['rate_limit_policy']),
      clientUri: optionalString(input, 'client_uri'),
      logoUri: optionalString(input, 'logo_uri'),
      policyUri: optionalString(input, 'policy_uri'),
      tosUri: optionalString(input, 'tos_uri'),
      actor: principal.subject,
    });
    return { ...presentClient(client), ...(clientSecret ? { client_secret: clientSecret } : {}) };
  }

  @Get(':clientId')
  @ApiOperation({ summary: 'Read a client; the ETag header is what PATCH sends back in If-Match' })
  @ApiOkResponse({ schema: CLIENT_SCHEMA })
  @TenantRole('tenant_admin')
  async get(
    @Param('tenant') slug: string,
    @Param('clientId') clientId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const client = await this.clients.get(slug, clientId);
    return CLIENT_TAG.answer(reply, client, presentClient(client));
  }

  /** Metadata, with If-Match optimistic concurrency; the merged result is validated as a whole. */
  @Patch(':clientId')
  @ApiOperation({ summary: 'Update client metadata (If-Match required: 428 without, 412 when stale)' })
  @IfMatchRequired('client')
  @ApiBody({ schema: CLIENT_PATCH_SCHEMA })
  @ApiResponse({ status: 200, description: 'The updated client, with its new ETag' })
  @ApiOkResponse({ schema: CLIENT_SCHEMA })
  @TenantRole('tenant_admin')
  async update(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('clientId') clientId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    // A member a client has but PATCH cannot change gets what can; anything else is a typo, with its "did you mean".
    const patch = readBody(CLIENT_PATCH_SCHEMA, body, {
      refuse: (field) => (CLIENT_MEMBERS.has(field) ? unchangeableClientField(field) : undefined),
    });
    const current = await this.clients.get(slug, clientId);
    CLIENT_TAG.requireMatch(ifMatch, current);
    const updated = await this.clients.update(slug, current, patch, principal.subject);
    return CLIENT_TAG.answer(reply, updated, presentClient(updated));
  }

  /** A new secret, shown once; the previous one keeps working until previous_secret_expires_at. */
  @Post(':clientId/secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the client secret (client_secret_basic / client_secret_post clients) with a grace period' })
  @ApiBody({ schema: SECRET_ROTATION_SCHEMA, required: false })
  @ApiResponse({ status: 200, description: 'The client with the new client_secret (shown once) and previous_secret_expires_at' })
  @ApiResponse({ status: 409, description: 'The client does not authenticate with a secret' })
  @ApiOkResponse({ schema: CLIENT_WITH_SECRET_SCHEMA })
  @TenantRole('tenant_admin')
  async rotateSecret(
    @Principal() principal: AdminPrincipal,
    @Param('tenant') slug: string,
    @Param('clientId') clientId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const input = readBody(SECRET_ROTATION_SCHEMA, body, { optional: true });
    const grace = optionalNumber(input, 'grace_period_seconds') ?? DEFAULT_GRACE_PERIOD_SECONDS;
    const { client, clientSecret } = await this.clients.rotateSecret(slug, clientId, grace, principal.subject);
    return CLIENT_TAG.answer(reply, client, { ...presentClient(client), client_secret: clientSecret });
  }

  @Delete(':clientId')
  @HttpCode(204)
  @TenantRole('tenant_admin')
  async remove(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string, @Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(slug, clientId, principal.subject);
  }
}

const MUTUAL_TLS_MEMBERS = [...TLS_CLIENT_AUTH_SUBJECT_FIELDS, 'tls_client_certificate_bound_access_tokens'];

/** RFC 8705 members, passed on as sent for the shared client metadata validation. */
function mutualTlsMembers(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(MUTUAL_TLS_MEMBERS.filter((name) => input[name] !== undefined).map((name) => [name, input[name]]));
}
