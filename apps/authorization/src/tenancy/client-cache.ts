import type { Client, Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { TtlCache } from './ttl-cache.js';

/** Client lookups on the hot path, keyed by tenant and client_id. */
export class ClientCache {
  private readonly cache = new TtlCache<Client | null>(10_000);

  constructor(private readonly persistence: Persistence) {}

  find(tenantId: TenantId, clientId: string): Promise<Client | null> {
    if (clientId.length > 128) return Promise.resolve(null);
    return this.cache.getOrLoad(`${tenantId}:${clientId}`, () => this.persistence.repositories.clients.findByClientId(tenantId, clientId));
  }

  invalidate(tenantId: TenantId, clientId: string): void {
    this.cache.delete(`${tenantId}:${clientId}`);
  }
}
