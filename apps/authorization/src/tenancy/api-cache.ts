import type { Api, Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { CACHE_SIZES } from './cache-sizes.js';
import { TtlCache } from './ttl-cache.js';

interface TenantApis {
  readonly byIdentifier: ReadonlyMap<string, Api>;
  /** Every scope some API of the tenant defines. */
  readonly scopes: ReadonlySet<string>;
}

/**
 * A tenant's APIs (RFC 8707 resources) on the hot path: the token endpoint looks them up on
 * every client_credentials request. One entry per tenant, the whole list: tenants have few
 * APIs and they rarely change; an admin change drops the entry (config-change channel).
 */
export class ApiCache {
  private readonly cache: TtlCache<TenantApis>;

  constructor(
    private readonly persistence: Persistence,
    ttlMs: number,
  ) {
    this.cache = new TtlCache<TenantApis>(ttlMs, CACHE_SIZES.tenantApis);
  }

  async find(tenantId: TenantId, identifier: string): Promise<Api | null> {
    return (await this.load(tenantId)).byIdentifier.get(identifier) ?? null;
  }

  async scopes(tenantId: TenantId): Promise<ReadonlySet<string>> {
    return (await this.load(tenantId)).scopes;
  }

  invalidate(tenantId: TenantId): void {
    this.cache.delete(tenantId);
  }

  private load(tenantId: TenantId): Promise<TenantApis> {
    return this.cache.getOrLoad(tenantId, async () => {
      const apis = await this.persistence.repositories.apis.listByTenant(tenantId);
      return { byIdentifier: new Map(apis.map((api) => [api.identifier, api])), scopes: new Set(apis.flatMap((api) => api.scopes)) };
    });
  }

  /** Forgets every entry (the config-change channel reconnected: announcements may have been missed). */
  clear(): void {
    this.cache.clear();
  }
}
