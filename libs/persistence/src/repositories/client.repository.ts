import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import { ClientEntity } from '../entities/client.entity.js';

export interface Client {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly clientId: string;
  readonly name: string;
  readonly applicationType: 'web' | 'native';
  readonly tokenEndpointAuthMethod: string;
  readonly secretHash: string | null;
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
  readonly postLogoutRedirectUris: readonly string[];
  readonly backchannelLogoutUri: string | null;
  readonly createdAt: Date;
}

type OptionalClientFields =
  | 'accessTokenTtlSeconds'
  | 'idTokenSignedResponseAlg'
  | 'refreshTokenIdleTtlSeconds'
  | 'refreshTokenAbsoluteTtlSeconds'
  | 'rotateRefreshTokens'
  | 'postLogoutRedirectUris'
  | 'backchannelLogoutUri';

export type NewClient = Omit<Client, 'id' | 'tenantId' | 'createdAt' | OptionalClientFields> & Partial<Pick<Client, OptionalClientFields>>;

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

  /** Keyset pagination by client_id: the page after `afterClientId`, at most `limit` rows. */
  async listPage(tenantId: TenantId, afterClientId: string | null, limit: number): Promise<Client[]> {
    const query = this.manager
      .createQueryBuilder(ClientEntity, 'c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .orderBy('c.client_id', 'ASC')
      .limit(limit);
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
    metadata: Partial<Omit<NewClient, 'clientId' | 'secretHash' | 'firstParty'>>,
  ): Promise<Client | null> {
    const changes: Record<string, unknown> = { ...metadata };
    for (const key of ['redirectUris', 'grantTypes', 'scopes', 'postLogoutRedirectUris']) {
      const value = changes[key];
      if (Array.isArray(value)) changes[key] = [...(value as string[])];
    }
    await this.manager.update(ClientEntity, { tenantId, clientId }, changes);
    return this.findByClientId(tenantId, clientId);
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
    });
    return toClient(await this.manager.save(row));
  }
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
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    createdAt: row.createdAt,
  };
}
