import type { EntityManager } from 'typeorm';
import { storedRegistrationPolicy, type RegistrationPolicy, type TenantId } from '@gatehouse/protocol';
import { ClientEntity } from '../entities/client.entity.js';
import { likeLiteral } from './like-pattern.js';

export interface Client {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly clientId: string;
  readonly name: string;
  readonly applicationType: 'web' | 'native';
  readonly tokenEndpointAuthMethod: string;
  readonly secretHash: string | null;
  /** The secret a rotation replaced, accepted until previousSecretExpiresAt (the grace period). */
  readonly previousSecretHash: string | null;
  readonly previousSecretExpiresAt: Date | null;
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly string[];
  readonly scopes: readonly string[];
  readonly jwks: { keys: Record<string, unknown>[] } | null;
  readonly firstParty: boolean;
  readonly accessTokenTtlSeconds: number | null;
  readonly idTokenSignedResponseAlg: string | null;
  readonly refreshTokenIdleTtlSeconds: number | null;
  readonly refreshTokenAbsoluteTtlSeconds: number | null;
  /** Public clients always rotate (OAuth 2.1 §4.3.1); confidential ones may opt out. */
  readonly rotateRefreshTokens: boolean;
  /** RFC 9449 §5.2 `dpop_bound_access_tokens`: a token request needs a DPoP proof. */
  readonly dpopBoundAccessTokens: boolean;
  /** RFC 8705 §2.1.2: the registered tls_client_auth_* field and its value. */
  readonly tlsClientAuthSubject: { readonly field: string; readonly value: string } | null;
  /** RFC 8705 §3.4 `tls_client_certificate_bound_access_tokens`. */
  readonly tlsClientCertificateBoundAccessTokens: boolean;
  readonly postLogoutRedirectUris: readonly string[];
  readonly backchannelLogoutUri: string | null;
  /** Self-registered clients: the policy of the initial access token (RFC 7592 updates stay inside it). */
  readonly registrationPolicy: RegistrationPolicy | null;
  /** The first-party admin console: the only client admin-API tokens are issued to. Set only by the bootstrap. */
  readonly adminConsole: boolean;
  /** API identifiers whose tokens this client may introspect besides its own (RFC 7662 §4); only an admin sets it. */
  readonly resourceServerFor: readonly string[];
  /** Overrides of the tenant's endpoint rate limits (docs/adr/0009); only an admin sets it. */
  readonly rateLimitPolicy: Readonly<Record<string, number>>;
  /** RFC 9126 §6 and RFC 9101 §10.5: how its authorization requests must arrive. */
  readonly requirePushedAuthorizationRequests: boolean;
  readonly requireSignedRequestObject: boolean;
  /** The one JWS algorithm its request objects may use; null: any of REQUEST_OBJECT_ALGORITHMS. */
  readonly requestObjectSigningAlg: string | null;
  /** RFC 9396 §10: the tenant's authorization details types it may request; null: any of them. */
  readonly authorizationDetailsTypes: readonly string[] | null;
  /** RFC 7591 §2 human-facing metadata: home page, logo, privacy policy, terms of service. */
  readonly clientUri: string | null;
  readonly logoUri: string | null;
  readonly policyUri: string | null;
  readonly tosUri: string | null;
  readonly createdAt: Date;
  /** The version optimistic concurrency compares (admin API ETag / If-Match). */
  readonly updatedAt: Date;
}

type OptionalClientFields =
  | 'accessTokenTtlSeconds'
  | 'idTokenSignedResponseAlg'
  | 'refreshTokenIdleTtlSeconds'
  | 'refreshTokenAbsoluteTtlSeconds'
  | 'rotateRefreshTokens'
  | 'dpopBoundAccessTokens'
  | 'tlsClientAuthSubject'
  | 'tlsClientCertificateBoundAccessTokens'
  | 'postLogoutRedirectUris'
  | 'backchannelLogoutUri'
  | 'registrationPolicy'
  | 'adminConsole'
  | 'resourceServerFor'
  | 'rateLimitPolicy'
  | 'requirePushedAuthorizationRequests'
  | 'requireSignedRequestObject'
  | 'requestObjectSigningAlg'
  | 'authorizationDetailsTypes'
  | 'clientUri'
  | 'logoUri'
  | 'policyUri'
  | 'tosUri';

export type NewClient = Omit<
  Client,
  'id' | 'tenantId' | 'createdAt' | 'updatedAt' | 'previousSecretHash' | 'previousSecretExpiresAt' | OptionalClientFields
> &
  Partial<Pick<Client, OptionalClientFields>>;

/** What an admin may change on an existing client (not its id, auth method, secret or first-party flag). */
export type ClientChanges = Partial<
  Pick<
    Client,
    | 'name'
    | 'applicationType'
    | 'redirectUris'
    | 'postLogoutRedirectUris'
    | 'grantTypes'
    | 'scopes'
    | 'jwks'
    | 'backchannelLogoutUri'
    | 'rotateRefreshTokens'
    | 'dpopBoundAccessTokens'
    | 'tlsClientAuthSubject'
    | 'tlsClientCertificateBoundAccessTokens'
    | 'resourceServerFor'
    | 'rateLimitPolicy'
    | 'requirePushedAuthorizationRequests'
    | 'requireSignedRequestObject'
    | 'requestObjectSigningAlg'
    | 'authorizationDetailsTypes'
    | 'clientUri'
    | 'logoUri'
    | 'policyUri'
    | 'tosUri'
  >
>;

/** The secret hashes token-endpoint authentication compares against. */
export interface ClientSecrets {
  readonly secretHash: string | null;
  readonly previousSecretHash: string | null;
  readonly previousSecretExpiresAt: Date | null;
}

export interface SecretRotation {
  /** The current hash as the caller read it: a concurrent rotation makes this one a no-op. */
  readonly expectedSecretHash: string;
  readonly newSecretHash: string;
  /** When the replaced secret stops authenticating; now or earlier ends it at once. */
  readonly previousSecretExpiresAt: Date;
}

/** What a client list may be narrowed by; `nameContains` matches literally, ignoring case. */
interface ClientListFilter {
  readonly applicationType?: string | undefined;
  readonly authMethod?: string | undefined;
  readonly grantType?: string | undefined;
  readonly firstParty?: boolean | undefined;
  readonly nameContains?: string | undefined;
}

/** Clients of one tenant, found by their public client_id. */
export class ClientRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByClientId(tenantId: TenantId, clientId: string): Promise<Client | null> {
    const row = await this.manager.findOne(ClientEntity, { where: { tenantId, clientId } });
    return row ? toClient(row) : null;
  }

  async listByTenant(tenantId: TenantId): Promise<Client[]> {
    const rows = await this.manager.find(ClientEntity, { where: { tenantId }, order: { createdAt: 'ASC' } });
    return rows.map(toClient);
  }

  /**
   * Keyset pagination by client_id: the page after `afterClientId`, at most `limit` rows. The filters
   * narrow the same ordering, so a cursor continues the filtered list.
   */
  async listPage(tenantId: TenantId, afterClientId: string | null, limit: number, filter: ClientListFilter = {}): Promise<Client[]> {
    const query = this.manager
      .createQueryBuilder(ClientEntity, 'c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .orderBy('c.client_id', 'ASC')
      .limit(limit);
    if (filter.applicationType !== undefined) query.andWhere('c.application_type = :appType', { appType: filter.applicationType });
    if (filter.authMethod !== undefined) query.andWhere('c.token_endpoint_auth_method = :authMethod', { authMethod: filter.authMethod });
    if (filter.grantType !== undefined) query.andWhere(':grantType = ANY(c.grant_types)', { grantType: filter.grantType });
    if (filter.firstParty !== undefined) query.andWhere('c.first_party = :firstParty', { firstParty: filter.firstParty });
    if (filter.nameContains !== undefined)
      query.andWhere("c.name ILIKE :name ESCAPE '\\'", { name: `%${likeLiteral(filter.nameContains)}%` });
    if (afterClientId !== null) query.andWhere('c.client_id > :after', { after: afterClientId });
    return (await query.getMany()).map(toClient);
  }

  async setRegistrationAccessTokenHash(tenantId: TenantId, clientId: string, hash: string): Promise<void> {
    await this.manager.update(ClientEntity, { tenantId, clientId }, { registrationAccessTokenHash: hash });
  }

  /** RFC 7592: the client only if the presented registration access token (by hash) is its own. */
  async findByRegistrationAccessToken(tenantId: TenantId, clientId: string, hash: string): Promise<Client | null> {
    const row = await this.manager.findOne(ClientEntity, { where: { tenantId, clientId, registrationAccessTokenHash: hash } });
    return row ? toClient(row) : null;
  }

  async updateMetadata(
    tenantId: TenantId,
    clientId: string,
    metadata: Partial<
      Omit<
        NewClient,
        'clientId' | 'secretHash' | 'firstParty' | 'registrationPolicy' | 'adminConsole' | 'resourceServerFor' | 'rateLimitPolicy'
      >
    >,
  ): Promise<Client | null> {
    const changes = withArrayCopies(metadata);
    await this.manager.update(ClientEntity, { tenantId, clientId }, changes);
    return this.findByClientId(tenantId, clientId);
  }

  /**
   * Optimistic concurrency: changes the client only if its updated_at is still the one the
   * caller read; null when it changed (or does not exist in this tenant).
   */
  async updateIfUnchanged(tenantId: TenantId, clientId: string, expectedUpdatedAt: Date, changes: ClientChanges): Promise<Client | null> {
    const values = withArrayCopies(changes);
    const result = await this.manager
      .createQueryBuilder()
      .update(ClientEntity)
      .set({ ...values, updatedAt: () => 'clock_timestamp()' })
      // JavaScript dates carry milliseconds; PostgreSQL keeps microseconds.
      .where("tenant_id = :tenantId AND client_id = :clientId AND date_trunc('milliseconds', updated_at) = :expected", {
        tenantId,
        clientId,
        expected: expectedUpdatedAt,
      })
      .execute();
    return (result.affected ?? 0) === 1 ? this.findByClientId(tenantId, clientId) : null;
  }

  /**
   * The current secret becomes the previous one (until `previousSecretExpiresAt`) and the new
   * hash the current one, in one conditional UPDATE; null when the secret changed meanwhile.
   * A secret still in an earlier grace period is dropped.
   */
  async rotateSecret(tenantId: TenantId, clientId: string, rotation: SecretRotation): Promise<Client | null> {
    const result = await this.manager
      .createQueryBuilder()
      .update(ClientEntity)
      .set({
        previousSecretHash: () => 'secret_hash',
        previousSecretExpiresAt: rotation.previousSecretExpiresAt,
        secretHash: rotation.newSecretHash,
        updatedAt: () => 'clock_timestamp()',
      })
      .where('tenant_id = :tenantId AND client_id = :clientId AND secret_hash = :expected', {
        tenantId,
        clientId,
        expected: rotation.expectedSecretHash,
      })
      .execute();
    return (result.affected ?? 0) === 1 ? this.findByClientId(tenantId, clientId) : null;
  }

  /** Read on every secret authentication, never cached, so a rotation takes effect at once on every instance. */
  async findSecrets(tenantId: TenantId, clientId: string): Promise<ClientSecrets | null> {
    const row = await this.manager.findOne(ClientEntity, {
      select: { secretHash: true, previousSecretHash: true, previousSecretExpiresAt: true },
      where: { tenantId, clientId },
    });
    return row
      ? { secretHash: row.secretHash, previousSecretHash: row.previousSecretHash, previousSecretExpiresAt: row.previousSecretExpiresAt }
      : null;
  }

  /** True when this call deleted it. */
  async delete(tenantId: TenantId, clientId: string): Promise<boolean> {
    const result = await this.manager.delete(ClientEntity, { tenantId, clientId });
    return (result.affected ?? 0) > 0;
  }

  async insert(tenantId: TenantId, client: NewClient): Promise<Client> {
    const row = this.manager.create(ClientEntity, {
      ...client,
      tenantId,
      redirectUris: [...client.redirectUris],
      grantTypes: [...client.grantTypes],
      scopes: [...client.scopes],
      postLogoutRedirectUris: [...(client.postLogoutRedirectUris ?? [])],
      registrationPolicy: client.registrationPolicy ? { ...client.registrationPolicy } : null,
      resourceServerFor: [...(client.resourceServerFor ?? [])],
      rateLimitPolicy: { ...(client.rateLimitPolicy ?? {}) },
      authorizationDetailsTypes: client.authorizationDetailsTypes ? [...client.authorizationDetailsTypes] : null,
    });
    return toClient(await this.manager.save(row));
  }
}

const ARRAY_COLUMNS = ['redirectUris', 'grantTypes', 'scopes', 'postLogoutRedirectUris', 'resourceServerFor', 'authorizationDetailsTypes'];

/** The values with each array column copied: TypeORM gets mutable arrays, the caller's readonly ones stay untouched. */
function withArrayCopies(values: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...values };
  for (const key of ARRAY_COLUMNS) {
    const value = copy[key];
    if (Array.isArray(value)) copy[key] = [...(value as string[])];
  }
  return copy;
}

function toClient(row: ClientEntity): Client {
  return {
    id: row.id,
    tenantId: row.tenantId as TenantId,
    clientId: row.clientId,
    name: row.name,
    applicationType: row.applicationType,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    secretHash: row.secretHash,
    previousSecretHash: row.previousSecretHash,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    redirectUris: row.redirectUris,
    grantTypes: row.grantTypes,
    scopes: row.scopes,
    jwks: row.jwks,
    firstParty: row.firstParty,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    refreshTokenIdleTtlSeconds: row.refreshTokenIdleTtlSeconds,
    refreshTokenAbsoluteTtlSeconds: row.refreshTokenAbsoluteTtlSeconds,
    rotateRefreshTokens: row.rotateRefreshTokens,
    dpopBoundAccessTokens: row.dpopBoundAccessTokens,
    tlsClientAuthSubject: row.tlsClientAuthSubject,
    tlsClientCertificateBoundAccessTokens: row.tlsClientCertificateBoundAccessTokens,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    registrationPolicy: row.registrationPolicy === null ? null : storedRegistrationPolicy(row.registrationPolicy),
    adminConsole: row.adminConsole,
    resourceServerFor: row.resourceServerFor,
    rateLimitPolicy: row.rateLimitPolicy,
    requirePushedAuthorizationRequests: row.requirePushedAuthorizationRequests,
    requireSignedRequestObject: row.requireSignedRequestObject,
    requestObjectSigningAlg: row.requestObjectSigningAlg,
    authorizationDetailsTypes: row.authorizationDetailsTypes,
    clientUri: row.clientUri,
    logoUri: row.logoUri,
    policyUri: row.policyUri,
    tosUri: row.tosUri,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
