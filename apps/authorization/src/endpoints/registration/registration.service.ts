import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { ClientWrites, configChangePublisher, Persistence, type Client, type Tenant, OptionalRedis } from '@gatehouse/persistence';
import {
  Clock,
  bearerTokenOf,
  DEFAULT_REGISTRATION_POLICY,
  entityTag,
  ifMatchSatisfied,
  InvalidClientMetadata,
  InvalidToken,
  OAuthError,
  RegistrationConflict,
  RegistrationPreconditionFailed,
  SYSTEM_TENANT,
  type RegistrationPolicy,
} from '@gatehouse/protocol';
import { generateClientId, generateOpaqueSecret, hashOpaqueSecret, verifyOpaqueSecret } from '@gatehouse/tokens';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { validateRegisteredMetadata, type RegisteredMetadata } from './client-metadata.validator.js';
import { registrationChangeEvent, registrationRefusedEvent, type RegistrationActor } from './registration-audit.js';

/** The client's configuration as RFC 7592 answers it, with the entity tag of that version. */
export interface RegisteredClient {
  readonly body: Record<string, unknown>;
  readonly etag: string;
}

/**
 * RFC 7591 registration with an initial access token; RFC 7592 read, update and delete with the
 * registration access token. Updates and deletes follow the admin API's sequence (ClientWrites).
 */
@Injectable()
export class RegistrationService {
  private readonly writes: ClientWrites;

  constructor(
    private readonly directory: TenantDirectory,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    redis: OptionalRedis,
  ) {
    this.writes = new ClientWrites(persistence, configChangePublisher(redis.client));
  }

  async register(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const tenant = await this.registrationTenant(slug);
    const initial = bearer(authorization);
    const repos = this.persistence.repositories;
    const token = await repos.registrationTokens.findUsable(tenant.id, hashOpaqueSecret(initial), this.clock.now());
    if (!token) throw new InvalidToken({ cause: 'unknown, expired or revoked initial access token' });
    const actor: RegistrationActor = { kind: 'initial_access_token', id: token.id };
    const metadata = await this.validate(tenant, body, token.policy, actor, 'client.register', context);
    const confidential =
      metadata.tokenEndpointAuthMethod === 'client_secret_basic' || metadata.tokenEndpointAuthMethod === 'client_secret_post';
    const clientSecret = confidential ? generateOpaqueSecret() : undefined;
    const registrationAccessToken = generateOpaqueSecret();
    const client = await this.persistence.transaction(async (tx) => {
      const created = await tx.clients.insert(tenant.id, {
        ...metadata,
        clientId: generateClientId(),
        secretHash: clientSecret ? hashOpaqueSecret(clientSecret) : null,
        firstParty: false,
        registrationPolicy: token.policy,
      });
      await tx.clients.setRegistrationAccessTokenHash(tenant.id, created.clientId, hashOpaqueSecret(registrationAccessToken));
      const after = this.present(tenant, created);
      await tx.auditOutbox.append(tenant.id, [
        registrationChangeEvent({ actor, action: 'client.registered', clientId: created.clientId, after }, context, this.clock.now()),
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

  async read(slug: string, clientId: string, authorization: string | undefined): Promise<RegisteredClient> {
    const { tenant, client } = await this.authorize(slug, clientId, authorization);
    return this.versioned(tenant, client);
  }

  /**
   * RFC 7592 §2.2, held to the registration policy the client was registered under; the change and
   * its audit event commit together, written only over the version read. With If-Match (optional:
   * RFC 7592 clients need not send it), only over the version the caller read: 412 otherwise.
   */
  async update(
    slug: string,
    clientId: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
    ifMatch?: string,
  ): Promise<RegisteredClient> {
    const { tenant, client } = await this.authorize(slug, clientId, authorization);
    this.requireMatch(ifMatch, tenant, client);
    const actor: RegistrationActor = { kind: 'registration_access_token', clientId };
    const policy = client.registrationPolicy ?? DEFAULT_REGISTRATION_POLICY;
    const metadata = await this.validate(
      tenant,
      body,
      policy,
      actor,
      'client.update',
      context,
      () => refuseAnotherIdentity(body, client),
      client.authorizationDetailsTypes ?? [],
    );
    // RFC 7592 §2.2: the auth method decides whether a secret exists; it cannot switch here.
    if (metadata.tokenEndpointAuthMethod !== client.tokenEndpointAuthMethod)
      throw new InvalidClientMetadata({ hint: 'token_endpoint_auth_method cannot change' });
    const { tokenEndpointAuthMethod: _unchanged, ...changes } = metadata;
    const updated = await this.writes.update(client, changes, async (repos, changed) => {
      const change = {
        actor,
        action: 'client.updated' as const,
        clientId,
        before: this.present(tenant, client),
        after: this.present(tenant, changed),
      };
      await repos.auditOutbox.append(tenant.id, [registrationChangeEvent(change, context, this.clock.now())]);
    });
    if (!updated) {
      // Deleted meanwhile: its registration access token no longer names a client (RFC 7592 §3).
      if (!(await this.persistence.repositories.clients.findByClientId(tenant.id, clientId)))
        throw new InvalidToken({ cause: 'the client was deleted meanwhile' });
      throw ifMatch === undefined ? new RegistrationConflict() : new RegistrationPreconditionFailed();
    }
    return this.versioned(tenant, updated);
  }

  /** RFC 7592 §2.3; the deletion and its audit event commit together. */
  async delete(
    slug: string,
    clientId: string,
    authorization: string | undefined,
    context: RequestContext,
    ifMatch?: string,
  ): Promise<void> {
    const { tenant, client } = await this.authorize(slug, clientId, authorization);
    this.requireMatch(ifMatch, tenant, client);
    const actor: RegistrationActor = { kind: 'registration_access_token', clientId };
    const deleted = await this.writes.delete(client, async (repos) => {
      const change = { actor, action: 'client.deleted' as const, clientId, before: this.present(tenant, client), after: null };
      await repos.auditOutbox.append(tenant.id, [registrationChangeEvent(change, context, this.clock.now())]);
    });
    if (!deleted) throw new InvalidToken({ cause: 'the client was deleted meanwhile' });
  }

  /** Metadata checked against the policy; a refusal is audited (nothing else is written) and rethrown. */
  private async validate(
    tenant: Tenant,
    body: unknown,
    policy: RegistrationPolicy,
    actor: RegistrationActor,
    action: 'client.register' | 'client.update',
    context: RequestContext,
    precheck: () => void = () => undefined,
    heldAuthorizationDetailsTypes: readonly string[] = [],
  ): Promise<RegisteredMetadata> {
    const apis = await this.persistence.repositories.apis.listByTenant(tenant.id);
    try {
      precheck();
      return await validateRegisteredMetadata(tenant, body, policy, apis, heldAuthorizationDetailsTypes);
    } catch (error) {
      if (error instanceof OAuthError) {
        const event = registrationRefusedEvent(actor, action, error.error, error.fullDescription, context, this.clock.now());
        await this.persistence.repositories.auditOutbox.append(tenant.id, [event]);
      }
      throw error;
    }
  }

  /**
   * Issue 10: clients of the system tenant can reach the admin API, so only admins make them:
   * RFC 7591 and RFC 7592 are closed there, also for clients self-registered before the fix.
   */
  private async registrationTenant(slug: string): Promise<Tenant> {
    const tenant = await this.directory.tenant(slug);
    if (tenant.slug === SYSTEM_TENANT) throw new InvalidToken({ cause: 'dynamic registration is closed in the system tenant' });
    return tenant;
  }

  /** RFC 7592 §3: an invalid token or a client it does not belong to is 401, revealing nothing. */
  private async authorize(slug: string, clientId: string, authorization: string | undefined): Promise<{ tenant: Tenant; client: Client }> {
    const tenant = await this.registrationTenant(slug);
    const token = bearer(authorization);
    const client =
      clientId.length <= 128
        ? await this.persistence.repositories.clients.findByRegistrationAccessToken(tenant.id, clientId, hashOpaqueSecret(token))
        : null;
    if (!client) throw new InvalidToken({ cause: 'registration access token does not match the client' });
    return { tenant, client };
  }

  /** RFC 9110 §13.1.1: an If-Match sent (even an empty one) must name the current version, or nothing is done. */
  private requireMatch(ifMatch: string | undefined, tenant: Tenant, client: Client): void {
    if (ifMatch !== undefined && !ifMatchSatisfied(ifMatch, this.versioned(tenant, client).etag))
      throw new RegistrationPreconditionFailed();
  }

  private versioned(tenant: Tenant, client: Client): RegisteredClient {
    const body = this.present(tenant, client);
    return { body, etag: entityTag(client.updatedAt, body) };
  }

  private present(tenant: Tenant, client: Client): Record<string, unknown> {
    const issuer = this.directory.issuer(tenant);
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
      dpop_bound_access_tokens: client.dpopBoundAccessTokens,
      ...(client.tlsClientAuthSubject ? { [client.tlsClientAuthSubject.field]: client.tlsClientAuthSubject.value } : {}),
      tls_client_certificate_bound_access_tokens: client.tlsClientCertificateBoundAccessTokens,
      ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri } : {}),
      ...(client.jwks ? { jwks: client.jwks } : {}),
      ...(client.clientUri ? { client_uri: client.clientUri } : {}),
      ...(client.logoUri ? { logo_uri: client.logoUri } : {}),
      ...(client.policyUri ? { policy_uri: client.policyUri } : {}),
      ...(client.tosUri ? { tos_uri: client.tosUri } : {}),
      ...(client.requirePushedAuthorizationRequests ? { require_pushed_authorization_requests: true } : {}),
      ...(client.requireSignedRequestObject ? { require_signed_request_object: true } : {}),
      ...(client.requestObjectSigningAlg ? { request_object_signing_alg: client.requestObjectSigningAlg } : {}),
      ...(client.authorizationDetailsTypes ? { authorization_details_types: client.authorizationDetailsTypes } : {}),
      registration_client_uri: `${issuer}/register/${client.clientId}`,
    };
  }
}

/** RFC 7592 §2.2: a client_id or client_secret sent with the update must be the client's own (the secret compared in constant time). */
function refuseAnotherIdentity(body: unknown, client: Client): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return; // the metadata validation names the shape
  const sent = body as Record<string, unknown>;
  // §2.2: "The client MUST include its client_id field in the request".
  if (sent['client_id'] === undefined) throw new InvalidClientMetadata({ hint: 'client_id is required in an update (RFC 7592 §2.2)' });
  if (sent['client_id'] !== client.clientId) throw new InvalidClientMetadata({ hint: 'client_id must be the client_id of this client' });
  const secret = sent['client_secret'];
  if (secret !== undefined && (typeof secret !== 'string' || client.secretHash === null || !verifyOpaqueSecret(secret, client.secretHash)))
    throw new InvalidClientMetadata({ hint: 'client_secret must be the current client secret' });
}

function bearer(authorization: string | undefined): string {
  const token = bearerTokenOf(authorization);
  if (!token) throw new InvalidToken({ hint: 'a bearer token is required' });
  return token;
}
