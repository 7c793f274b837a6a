import type { Client, Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { CACHE_SIZES } from './cache-sizes.js';
import { TtlCache } from './ttl-cache.js';

type ClientSecrets = Pick<Client, 'secretHash' | 'previousSecretHash' | 'previousSecretExpiresAt'>;

/** Client lookups on the hot path, keyed by tenant and client_id. */
export class ClientCache {
  private readonly cache: TtlCache<Client | null>;

  constructor(
    private readonly persistence: Persistence,
    ttlMs: number,
  ) {
    this.cache = new TtlCache<Client | null>(ttlMs, CACHE_SIZES.clients);
  }

  find(tenantId: TenantId, clientId: string): Promise<Client | null> {
    if (clientId.length > 128) return Promise.resolve(null);
    return this.cache.getOrLoad(`${tenantId}:${clientId}`, () => this.persistence.repositories.clients.findByClientId(tenantId, clientId));
  }

  /** The client's secret hashes as stored now, past the cache: a secret the cache does not know may be a rotation made elsewhere. */
  storedSecrets(tenantId: TenantId, clientId: string): Promise<ClientSecrets | null> {
    return this.persistence.repositories.clients.findSecrets(tenantId, clientId);
  }

  invalidate(tenantId: TenantId, clientId: string): void {
    this.cache.delete(`${tenantId}:${clientId}`);
  }

  /** Forgets every entry (the config-change channel reconnected: announcements may have been missed). */
  clear(): void {
    this.cache.clear();
  }
}
