import type { Persistence, Tenant } from '@gatehouse/persistence';
import { isValidTenantSlug } from '@gatehouse/protocol';
import { TtlCache } from './ttl-cache.js';

/** Slug (the issuer path) to an active tenant, cached for a few seconds. */
export class TenantResolver {
  private readonly cache = new TtlCache<Tenant | null>(10_000);

  constructor(private readonly persistence: Persistence) {}

  async find(slug: string): Promise<Tenant | null> {
    if (!isValidTenantSlug(slug)) return null;
    const tenant = await this.cache.getOrLoad(slug, () => this.persistence.repositories.tenants.findBySlug(slug));
    return tenant?.status === 'active' ? tenant : null;
  }

  invalidate(slug: string): void {
    this.cache.delete(slug);
  }
}
