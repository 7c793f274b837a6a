import type { EntityManager } from 'typeorm';
import { storedRegistrationPolicy, type RegistrationPolicy, type TenantId } from '@gatehouse/protocol';
import { likeLiteral } from './like-pattern.js';
import { assignmentsOf, columnValues, SqlConditions } from './sql-columns.js';

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
    const rows = await this.manager.query<ClientRow[]>(`SELECT ${COLUMNS} FROM clients WHERE tenant_id = $1 AND client_id = $2`, [
      tenantId,
      clientId,
    ]);
    return rows[0] ? toClient(rows[0]) : null;
  }

  async listByTenant(tenantId: TenantId): Promise<Client[]> {
    const rows = await this.manager.query<ClientRow[]>(`SELECT ${COLUMNS} FROM clients WHERE tenant_id = $1 ORDER BY created_at ASC`, [
      tenantId,
    ]);
    return rows.map(toClient);
  }

  /**
   * Keyset pagination by client_id: the page after `afterClientId`, at most `limit` rows. The filters
   * narrow the same ordering, so a cursor continues the filtered list.
   */
  async listPage(tenantId: TenantId, afterClientId: string | null, limit: number, filter: ClientListFilter = {}): Promise<Client[]> {
    const where = new SqlConditions([tenantId], 'tenant_id = $1');
    if (filter.applicationType !== undefined) where.add((p) => `application_type = ${p}`, filter.applicationType);
    if (filter.authMethod !== undefined) where.add((p) => `token_endpoint_auth_method = ${p}`, filter.authMethod);
    if (filter.grantType !== undefined) where.add((p) => `${p} = ANY(grant_types)`, filter.grantType);
    if (filter.firstParty !== undefined) where.add((p) => `first_party = ${p}`, filter.firstParty);
    if (filter.nameContains !== undefined) where.add((p) => `name ILIKE ${p} ESCAPE '\\'`, `%${likeLiteral(filter.nameContains)}%`);
    if (afterClientId !== null) where.add((p) => `client_id > ${p}`, afterClientId);
    const rows = await this.manager.query<ClientRow[]>(
      `SELECT ${COLUMNS} FROM clients WHERE ${where.sql} ORDER BY client_id ASC LIMIT ${where.param(limit)}`,
      where.params,
    );
    return rows.map(toClient);
  }

  async setRegistrationAccessTokenHash(tenantId: TenantId, clientId: string, hash: string): Promise<void> {
    await this.manager.query(
      `UPDATE clients SET registration_access_token_hash = $3, updated_at = clock_timestamp() WHERE tenant_id = $1 AND client_id = $2`,
      [tenantId, clientId, hash],
    );
  }

  /** RFC 7592: the client only if the presented registration access token (by hash) is its own. */
  async findByRegistrationAccessToken(tenantId: TenantId, clientId: string, hash: string): Promise<Client | null> {
    const rows = await this.manager.query<ClientRow[]>(
      `SELECT ${COLUMNS} FROM clients WHERE tenant_id = $1 AND client_id = $2 AND registration_access_token_hash = $3`,
      [tenantId, clientId, hash],
    );
    return rows[0] ? toClient(rows[0]) : null;
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
    const set = assignmentsOf(metadata, 2, JSON_FIELDS);
    const [rows] = await this.manager.query<[ClientRow[], number]>(
      `UPDATE clients SET ${[...set.sql, 'updated_at = clock_timestamp()'].join(', ')}
       WHERE tenant_id = $1 AND client_id = $2 RETURNING ${COLUMNS}`,
      [tenantId, clientId, ...set.params],
    );
    return rows[0] ? toClient(rows[0]) : null;
  }

  /**
   * Optimistic concurrency: changes the client only if its updated_at is still the one the
   * caller read; null when it changed (or does not exist in this tenant).
   */
  async updateIfUnchanged(tenantId: TenantId, clientId: string, expectedUpdatedAt: Date, changes: ClientChanges): Promise<Client | null> {
    const set = assignmentsOf(changes, 3, JSON_FIELDS);
    // JavaScript dates carry milliseconds; PostgreSQL keeps microseconds.
    const [rows] = await this.manager.query<[ClientRow[], number]>(
      `UPDATE clients SET ${[...set.sql, 'updated_at = clock_timestamp()'].join(', ')}
       WHERE tenant_id = $1 AND client_id = $2 AND date_trunc('milliseconds', updated_at) = $3 RETURNING ${COLUMNS}`,
      [tenantId, clientId, expectedUpdatedAt, ...set.params],
    );
    return rows[0] ? toClient(rows[0]) : null;
  }

  /**
   * The current secret becomes the previous one (until `previousSecretExpiresAt`) and the new
   * hash the current one, in one conditional UPDATE; null when the secret changed meanwhile.
   * A secret still in an earlier grace period is dropped.
   */
  async rotateSecret(tenantId: TenantId, clientId: string, rotation: SecretRotation): Promise<Client | null> {
    const [rows] = await this.manager.query<[ClientRow[], number]>(
      `UPDATE clients SET previous_secret_hash = secret_hash, previous_secret_expires_at = $4, secret_hash = $5,
         updated_at = clock_timestamp()
       WHERE tenant_id = $1 AND client_id = $2 AND secret_hash = $3 RETURNING ${COLUMNS}`,
      [tenantId, clientId, rotation.expectedSecretHash, rotation.previousSecretExpiresAt, rotation.newSecretHash],
    );
    return rows[0] ? toClient(rows[0]) : null;
  }

  /** Read on every secret authentication, never cached, so a rotation takes effect at once on every instance. */
  async findSecrets(tenantId: TenantId, clientId: string): Promise<ClientSecrets | null> {
    const rows = await this.manager.query<
      { secret_hash: string | null; previous_secret_hash: string | null; previous_secret_expires_at: Date | null }[]
    >(`SELECT secret_hash, previous_secret_hash, previous_secret_expires_at FROM clients WHERE tenant_id = $1 AND client_id = $2`, [
      tenantId,
      clientId,
    ]);
    const row = rows[0];
    return row
      ? {
          secretHash: row.secret_hash,
          previousSecretHash: row.previous_secret_hash,
          previousSecretExpiresAt: row.previous_secret_expires_at,
        }
      : null;
  }

  /** True when this call deleted it. */
  async delete(tenantId: TenantId, clientId: string): Promise<boolean> {
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `DELETE FROM clients WHERE tenant_id = $1 AND client_id = $2 RETURNING id`,
      [tenantId, clientId],
    );
    return rows.length > 0;
  }

  async insert(tenantId: TenantId, client: NewClient): Promise<Client> {
    const { columns, placeholders, params } = columnValues({ tenantId, ...client }, 0, JSON_FIELDS);
    const rows = await this.manager.query<ClientRow[]>(
      `INSERT INTO clients (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${COLUMNS}`,
      params,
    );
    return toClient(rows[0]!);
  }
}

/** The jsonb columns' fields. */
const JSON_FIELDS: ReadonlySet<string> = new Set(['jwks', 'tlsClientAuthSubject', 'registrationPolicy', 'rateLimitPolicy']);

const COLUMNS = `id, tenant_id, client_id, name, application_type, token_endpoint_auth_method, secret_hash, previous_secret_hash,
  previous_secret_expires_at, redirect_uris, grant_types, scopes, jwks, first_party, access_token_ttl_seconds,
  id_token_signed_response_alg, refresh_token_idle_ttl_seconds, refresh_token_absolute_ttl_seconds, rotate_refresh_tokens,
  dpop_bound_access_tokens, tls_client_auth_subject, tls_client_certificate_bound_access_tokens, post_logout_redirect_uris,
  backchannel_logout_uri, resource_server_for, registration_policy, admin_console, rate_limit_policy,
  require_pushed_authorization_requests, require_signed_request_object, request_object_signing_alg, authorization_details_types,
  client_uri, logo_uri, policy_uri, tos_uri, created_at, updated_at`;

interface ClientRow {
  id: string;
  tenant_id: string;
  client_id: string;
  name: string;
  application_type: 'web' | 'native';
  token_endpoint_auth_method: string;
  secret_hash: string | null;
  previous_secret_hash: string | null;
  previous_secret_expires_at: Date | null;
  redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  jwks: { keys: Record<string, unknown>[] } | null;
  first_party: boolean;
  access_token_ttl_seconds: number | null;
  id_token_signed_response_alg: string | null;
  refresh_token_idle_ttl_seconds: number | null;
  refresh_token_absolute_ttl_seconds: number | null;
  rotate_refresh_tokens: boolean;
  dpop_bound_access_tokens: boolean;
  tls_client_auth_subject: { field: string; value: string } | null;
  tls_client_certificate_bound_access_tokens: boolean;
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  resource_server_for: string[];
  registration_policy: Record<string, unknown> | null;
  admin_console: boolean;
  rate_limit_policy: Record<string, number>;
  require_pushed_authorization_requests: boolean;
  require_signed_request_object: boolean;
  request_object_signing_alg: string | null;
  authorization_details_types: string[] | null;
  client_uri: string | null;
  logo_uri: string | null;
  policy_uri: string | null;
  tos_uri: string | null;
  created_at: Date;
  updated_at: Date;
}

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    clientId: row.client_id,
    name: row.name,
    applicationType: row.application_type,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    secretHash: row.secret_hash,
    previousSecretHash: row.previous_secret_hash,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    redirectUris: row.redirect_uris,
    grantTypes: row.grant_types,
    scopes: row.scopes,
    jwks: row.jwks,
    firstParty: row.first_party,
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    idTokenSignedResponseAlg: row.id_token_signed_response_alg,
    refreshTokenIdleTtlSeconds: row.refresh_token_idle_ttl_seconds,
    refreshTokenAbsoluteTtlSeconds: row.refresh_token_absolute_ttl_seconds,
    rotateRefreshTokens: row.rotate_refresh_tokens,
    dpopBoundAccessTokens: row.dpop_bound_access_tokens,
    tlsClientAuthSubject: row.tls_client_auth_subject,
    tlsClientCertificateBoundAccessTokens: row.tls_client_certificate_bound_access_tokens,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    backchannelLogoutUri: row.backchannel_logout_uri,
    registrationPolicy: row.registration_policy === null ? null : storedRegistrationPolicy(row.registration_policy),
    adminConsole: row.admin_console,
    resourceServerFor: row.resource_server_for,
    rateLimitPolicy: row.rate_limit_policy,
    requirePushedAuthorizationRequests: row.require_pushed_authorization_requests,
    requireSignedRequestObject: row.require_signed_request_object,
    requestObjectSigningAlg: row.request_object_signing_alg,
    authorizationDetailsTypes: row.authorization_details_types,
    clientUri: row.client_uri,
    logoUri: row.logo_uri,
    policyUri: row.policy_uri,
    tosUri: row.tos_uri,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
