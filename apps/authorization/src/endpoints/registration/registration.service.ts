import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { publishConfigChange, type Client, type Tenant } from '@gatehouse/persistence';
import { bearerTokenOf, InvalidClientMetadata, InvalidToken } from '@gatehouse/protocol';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';
import { validateRegisteredMetadata } from './client-metadata.validator.js';

/** RFC 7591 registration with an initial access token; RFC 7592 read, update and delete with the registration access token. */
@Injectable()
export class RegistrationService {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  async register(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const tenant = await this.runtime.tenant(slug);
    const initial = bearer(authorization);
    const repos = this.runtime.persistence.repositories;
    if (!(await repos.registrationTokens.isUsable(tenant.id, hashOpaqueSecret(initial), this.runtime.now()))) {
      throw new InvalidToken({ cause: 'unknown, expired or revoked initial access token' });
    }
    const metadata = await validateRegisteredMetadata(tenant, body);
    const confidential =
      metadata.tokenEndpointAuthMethod === 'client_secret_basic' || metadata.tokenEndpointAuthMethod === 'client_secret_post';
    const clientSecret = confidential ? generateOpaqueSecret() : undefined;
    const registrationAccessToken = generateOpaqueSecret();
    const client = await this.runtime.persistence.transaction(async (tx) => {
      const created = await tx.clients.insert(tenant.id, {
        ...metadata,
        clientId: generateOpaqueSecret(16),
        secretHash: clientSecret ? hashOpaqueSecret(clientSecret) : null,
        firstParty: false,
      });
      await tx.clients.setRegistrationAccessTokenHash(tenant.id, created.clientId, hashOpaqueSecret(registrationAccessToken));
      await tx.auditOutbox.append(tenant.id, [
        {
          type: 'admin.change',
          outcome: 'success',
          occurredAt: this.runtime.now(),
          clientId: created.clientId,
          ...context,
          details: { actor: 'dynamic_registration', action: 'client.registered' },
        },
      ]);
      return created;
    });
    return {
      ...this.present(tenant, client),
      client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
      ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
      registration_access_token: registrationAccessToken,
    };
  }

  async read(slug: string, clientId: string, authorization: string | undefined): Promise<Record<string, unknown>> {
    const { tenant, client } = await this.authorize(slug, clientId, authorization);
    return this.present(tenant, client);
  }

  async update(slug: string, clientId: string, authorization: string | undefined, body: unknown): Promise<Record<string, unknown>> {
    const { tenant, client } = await this.authorize(slug, clientId, authorization);
    const metadata = await validateRegisteredMetadata(tenant, body);
    // RFC 7592 §2.2: the auth method decides whether a secret exists; it cannot switch here.
    if (metadata.tokenEndpointAuthMethod !== client.tokenEndpointAuthMethod)
      throw new InvalidClientMetadata({ hint: 'token_endpoint_auth_method cannot change' });
    const updated = await this.runtime.persistence.repositories.clients.updateMetadata(tenant.id, clientId, metadata);
    await publishConfigChange(this.runtime.redis, { kind: 'client', tenantId: tenant.id, clientId });
    return this.present(tenant, updated ?? client);
  }

  async delete(slug: string, clientId: string, authorization: string | undefined): Promise<void> {
    const { tenant } = await this.authorize(slug, clientId, authorization);
    await this.runtime.persistence.repositories.clients.delete(tenant.id, clientId);
    await publishConfigChange(this.runtime.redis, { kind: 'client', tenantId: tenant.id, clientId });
  }

  /** RFC 7592 §3: an invalid token or a client it does not belong to is 401, revealing nothing. */
  private async authorize(slug: string, clientId: string, authorization: string | undefined): Promise<{ tenant: Tenant; client: Client }> {
    const tenant = await this.runtime.tenant(slug);
    const token = bearer(authorization);
    const client =
      clientId.length <= 128
        ? await this.runtime.persistence.repositories.clients.findByRegistrationAccessToken(tenant.id, clientId, hashOpaqueSecret(token))
        : null;
    if (!client) throw new InvalidToken({ cause: 'registration access token does not match the client' });
    return { tenant, client };
  }

  private present(tenant: Tenant, client: Client): Record<string, unknown> {
    const issuer = this.runtime.issuer(tenant);
    return {
      client_id: client.clientId,
      client_name: client.name,
      application_type: client.applicationType,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      redirect_uris: client.redirectUris,
      grant_types: client.grantTypes,
      response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
      scope: client.scopes.join(' '),
      post_logout_redirect_uris: client.postLogoutRedirectUris,
      ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri } : {}),
      ...(client.jwks ? { jwks: client.jwks } : {}),
      registration_client_uri: `${issuer}/register/${client.clientId}`,
    };
  }
}

function bearer(authorization: string | undefined): string {
  const token = bearerTokenOf(authorization);
  if (!token) throw new InvalidToken({ hint: 'a bearer token is required' });
  return token;
}
