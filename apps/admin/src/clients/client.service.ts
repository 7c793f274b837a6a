import { CONFIG_CHANGE_PUBLISHER } from '../admin-injection-tokens.js';
import { GATEHOUSE_CONFIG, type GatehouseConfig } from '@gatehouse/config';
import { Inject, Injectable } from '@nestjs/common';
import { ClientWrites, type Client, type ConfigChangePublisher, Persistence, type Tenant } from '@gatehouse/persistence';
import {
  usesClientSecret,
  validateClientMetadata,
  type GrantType,
  type TokenEndpointAuthMethod,
  type ValidatedClientMetadata,
  Clock,
} from '@gatehouse/protocol';
import { generateClientId, generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { parseClientRateLimits } from './client-rate-limits.js';
import { AdminProblem } from '../errors/admin-problem.js';
import type { JsonBody } from '../http/request-body.js';
import { TenantService } from '../tenants/tenant.service.js';
import { adminProblemOf, changesOf, mergePatch } from './client-metadata.mapping.js';
import { presentClient } from './client.presenter.js';

export interface CreateClientInput {
  readonly tenant: string;
  readonly name: string;
  readonly public?: boolean;
  readonly applicationType?: string;
  readonly redirectUris?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly scope?: string;
  readonly authMethod?: string;
  readonly jwks?: unknown;
  readonly firstParty?: boolean;
  readonly postLogoutRedirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string;
  /** Confidential clients only; public clients always rotate refresh tokens. */
  readonly rotateRefreshTokens?: boolean;
  /** RFC 9126 §6, RFC 9101 §10.5, OIDC Registration §2 (the last two need jwks). */
  readonly requirePushedAuthorizationRequests?: boolean;
  readonly requireSignedRequestObject?: boolean;
  readonly requestObjectSigningAlg?: string;
  readonly dpopBoundAccessTokens?: boolean;
  /** RFC 8705: tls_client_auth_* (one of them) and tls_client_certificate_bound_access_tokens, as sent. */
  readonly mutualTls?: Readonly<Record<string, unknown>>;
  /** RFC 9396 §10: the tenant's authorization details types it may request; absent: any. */
  readonly authorizationDetailsTypes?: readonly string[];
  /** API identifiers of this tenant whose tokens the client may introspect (an admin's decision, never a registrant's). */
  readonly resourceServerFor?: readonly string[];
  /** Overrides of the tenant's endpoint rate limits (camelCase, validated against CLIENT_RATE_LIMIT_BOUNDS). */
  readonly rateLimitPolicy?: Record<string, number> | undefined;
  /** RFC 7591 §2 home page, logo (or a data:image URI), privacy policy and terms of service, shown on the sign-in pages. */
  readonly clientUri?: string;
  readonly logoUri?: string;
  readonly policyUri?: string;
  readonly tosUri?: string;
  /** Who makes the change, for the audit trail; direct callers (the CLI) act as gatehouse-cli. */
  readonly actor?: string;
}

/** What GET .../clients narrows by; `nameContains` is literal (no wildcards) and ignores case. */
export interface ClientListFilter {
  readonly applicationType?: 'web' | 'native' | undefined;
  readonly authMethod?: TokenEndpointAuthMethod | undefined;
  readonly grantType?: GrantType | undefined;
  readonly firstParty?: boolean | undefined;
  readonly nameContains?: string | undefined;
}

export interface CreatedClient {
  readonly client: Client;
  /** Shown once; only its hash is stored. */
  readonly clientSecret?: string;
}

export interface RotatedSecret {
  readonly client: Client;
  /** Shown once; only its hash is stored. */
  readonly clientSecret: string;
}

const DEFAULT_GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];
const DEFAULT_ACTOR = 'gatehouse-cli';
export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;
export const MAX_GRACE_PERIOD_SECONDS = 2_592_000;

/** Clients of a tenant. Every write commits with its audit event (before/after, never a secret). */
@Injectable()
export class ClientService {
  private readonly writes: ClientWrites;
  /** OUTBOUND_ALLOW_PRIVATE_TARGETS: back-channel logout URIs may name loopback and private hosts. */
  private readonly allowPrivateTargets: boolean;

  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly audit: AdminAuditService,
    private readonly clock: Clock,
    @Inject(CONFIG_CHANGE_PUBLISHER) private readonly announce: ConfigChangePublisher,
    @Inject(GATEHOUSE_CONFIG) config: GatehouseConfig,
  ) {
    this.writes = new ClientWrites(persistence, announce);
    this.allowPrivateTargets = config.outboundAllowPrivateTargets;
  }

  async listPage(slug: string, afterClientId: string | null, limit: number, filter: ClientListFilter = {}): Promise<Client[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.clients.listPage(tenant.id, afterClientId, limit, filter);
  }

  async get(slug: string, clientId: string): Promise<Client> {
    const tenant = await this.tenants.get(slug);
    return this.find(tenant, clientId);
  }

  async create(input: CreateClientInput): Promise<CreatedClient> {
    const tenant = await this.tenants.get(input.tenant);
    const isPublic = input.public ?? false;
    if (input.authMethod !== undefined && isPublic !== (input.authMethod === 'none')) {
      throw new AdminProblem(
        'validation_failed',
        'a public client uses auth method none, and only a public client does',
        'token_endpoint_auth_method',
      );
    }
    const metadata = await this.validate(tenant, {
      client_name: input.name,
      application_type: input.applicationType,
      token_endpoint_auth_method: input.authMethod ?? (isPublic ? 'none' : 'client_secret_basic'),
      redirect_uris: input.redirectUris,
      grant_types: input.grantTypes?.length ? input.grantTypes : undefined,
      scope: input.scope,
      jwks: input.jwks,
      post_logout_redirect_uris: input.postLogoutRedirectUris,
      backchannel_logout_uri: input.backchannelLogoutUri,
      rotate_refresh_tokens: input.rotateRefreshTokens,
      require_pushed_authorization_requests: input.requirePushedAuthorizationRequests,
      require_signed_request_object: input.requireSignedRequestObject,
      request_object_signing_alg: input.requestObjectSigningAlg,
      dpop_bound_access_tokens: input.dpopBoundAccessTokens,
      ...input.mutualTls,
      authorization_details_types: input.authorizationDetailsTypes,
      client_uri: input.clientUri,
      logo_uri: input.logoUri,
      policy_uri: input.policyUri,
      tos_uri: input.tosUri,
    });
    const resourceServerFor = await this.resourceServerFor(tenant, input.resourceServerFor ?? []);
    const clientSecret = usesClientSecret(metadata.tokenEndpointAuthMethod) ? generateOpaqueSecret(32) : undefined;
    const client = await this.persistence.transaction(async (repos) => {
      const created = await repos.clients.insert(tenant.id, {
        ...changesOf(metadata),
        resourceServerFor,
        rateLimitPolicy: input.rateLimitPolicy ?? {},
        clientId: generateClientId(),
        tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
        secretHash: clientSecret ? hashOpaqueSecret(clientSecret) : null,
        firstParty: input.firstParty ?? false,
      });
      await this.audit.recordIn(repos, tenant.id, {
        actor: input.actor ?? DEFAULT_ACTOR,
        action: 'admin.client.created',
        target: created.clientId,
        before: null,
        after: presentClient(created),
      });
      return created;
    });
    await this.announce({ kind: 'client', tenantId: tenant.id, clientId: client.clientId });
    return clientSecret ? { client, clientSecret } : { client };
  }

  /**
   * Merges `patch` into `expected` (the version the caller read and matched with If-Match),
   * validates the whole result and writes it only if the client is still that version.
   */
  async update(slug: string, expected: Client, patch: JsonBody, actor: string): Promise<Client> {
    const tenant = await this.tenants.get(slug);
    if (expected.tenantId !== tenant.id) throw notFound(expected.clientId);
    const { resource_server_for: servesFor, rate_limit_policy: limits, ...metadataPatch } = patch;
    // A type the tenant has since dropped does not block an unrelated change: the client keeps what it
    // holds (a new request naming it is refused at /authorize and PAR, which check the tenant's types).
    const metadata = await this.validate(tenant, mergePatch(expected, metadataPatch), expected.authorizationDetailsTypes ?? []);
    const resourceServerFor =
      servesFor === undefined ? expected.resourceServerFor : await this.resourceServerFor(tenant, stringArray(servesFor));
    const changes = {
      ...changesOf(metadata),
      resourceServerFor,
      rateLimitPolicy: limits === undefined ? expected.rateLimitPolicy : (parseClientRateLimits(limits) ?? {}),
    };
    const updated = await this.writes.update(expected, changes, (repos, updated) =>
      this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.client.updated',
        target: expected.clientId,
        before: presentClient(expected),
        after: presentClient(updated),
      }),
    );
    if (!updated) throw new AdminProblem('precondition_failed', 'the client changed since you read it; read it again');
    return updated;
  }

  /**
   * A new secret; the current one keeps authenticating for the grace period so deployments can
   * switch over (0 ends it at once, e.g. after a leak). A secret still in an earlier grace period is dropped.
   */
  async rotateSecret(slug: string, clientId: string, gracePeriodSeconds: number, actor: string): Promise<RotatedSecret> {
    if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS) {
      throw new AdminProblem(
        'validation_failed',
        `grace_period_seconds must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}`,
        'grace_period_seconds',
      );
    }
    const tenant = await this.tenants.get(slug);
    const current = await this.find(tenant, clientId);
    if (!usesClientSecret(current.tokenEndpointAuthMethod) || current.secretHash === null) {
      throw new AdminProblem(
        'conflict',
        `this client authenticates with ${current.tokenEndpointAuthMethod}: only client_secret_basic and client_secret_post clients have a secret to rotate`,
        'token_endpoint_auth_method',
      );
    }
    const clientSecret = generateOpaqueSecret(32);
    const previousSecretExpiresAt = new Date(this.clock.now().getTime() + gracePeriodSeconds * 1000);
    const client = await this.persistence.transaction(async (repos) => {
      const rotated = await repos.clients.rotateSecret(tenant.id, clientId, {
        expectedSecretHash: current.secretHash ?? '',
        newSecretHash: hashOpaqueSecret(clientSecret),
        previousSecretExpiresAt,
      });
      if (!rotated) throw new AdminProblem('conflict', 'the client secret was rotated or the client deleted meanwhile; read it again');
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.client.secret_rotated',
        target: clientId,
        before: presentClient(current),
        after: { ...presentClient(rotated), grace_period_seconds: gracePeriodSeconds },
      });
      return rotated;
    });
    await this.announce({ kind: 'client', tenantId: tenant.id, clientId });
    return { client, clientSecret };
  }

  /** Returns what was deleted. */
  async delete(slug: string, clientId: string, actor: string = DEFAULT_ACTOR): Promise<Client> {
    const tenant = await this.tenants.get(slug);
    const client = await this.find(tenant, clientId);
    const deleted = await this.writes.delete(client, (repos) =>
      this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.client.deleted',
        target: clientId,
        before: presentClient(client),
        after: null,
      }),
    );
    if (!deleted) throw notFound(clientId);
    return client;
  }

  private async find(tenant: Tenant, clientId: string): Promise<Client> {
    const client = clientId.length <= 128 ? await this.persistence.repositories.clients.findByClientId(tenant.id, clientId) : null;
    if (!client) throw notFound(clientId);
    return client;
  }

  /** RFC 7662 §4: which APIs' tokens the client may introspect; each must be an API of this tenant. */
  private async resourceServerFor(tenant: Tenant, identifiers: readonly string[]): Promise<string[]> {
    const unique = [...new Set(identifiers)];
    for (const identifier of unique) {
      const api = identifier.length <= 2000 ? await this.persistence.repositories.apis.findByIdentifier(tenant.id, identifier) : null;
      if (!api)
        throw new AdminProblem(
          'validation_failed',
          `resource_server_for names no API of this tenant: ${identifier}`,
          'resource_server_for',
        );
    }
    return unique;
  }

  private async validate(
    tenant: Tenant,
    metadata: Record<string, unknown>,
    heldAuthorizationDetailsTypes: readonly string[] = [],
  ): Promise<ValidatedClientMetadata> {
    const result = await validateClientMetadata(metadata, {
      webLoopbackRedirects: tenant.webLoopbackRedirects,
      defaultGrantTypes: DEFAULT_GRANT_TYPES,
      allowPrivateTargets: this.allowPrivateTargets,
      securityProfile: tenant.securityProfile,
      authorizationDetailsTypes: Object.keys(tenant.authorizationDetailsTypes),
      heldAuthorizationDetailsTypes,
    });
    if (!result.ok) throw adminProblemOf(result.problems);
    return result.metadata;
  }
}

function stringArray(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new AdminProblem('validation_failed', 'resource_server_for must be an array of API identifiers', 'resource_server_for');
  }
  return value;
}

function notFound(clientId: string): AdminProblem {
  return new AdminProblem('not_found', `unknown client "${clientId}"`);
}
