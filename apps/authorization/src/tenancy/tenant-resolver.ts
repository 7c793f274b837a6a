import type { TenantLabel } from '@gatehouse/observability';
import type { Persistence, Tenant } from '@gatehouse/persistence';
import { isValidTenantSlug } from '@gatehouse/protocol';
import { CACHE_SIZES } from './cache-sizes.js';
import { withSecurityProfile } from './security-profile.js';
import { TtlCache } from './ttl-cache.js';

/** Slug (the issuer path) to an active tenant, cached for a few seconds. */
export class TenantResolver {
  private readonly cache: TtlCache<Tenant | null>;

  constructor(
    private readonly persistence: Persistence,
    ttlMs: number,
    private readonly labels?: TenantLabel,
  ) {
    this.cache = new TtlCache<Tenant | null>(ttlMs, CACHE_SIZES.tenants);
  }

  async find(slug: string): Promise<Tenant | null> {
    if (!isValidTenantSlug(slug)) return null;
    const tenant = await this.cache.getOrLoad(slug, async () => {
      const stored = await this.persistence.repositories.tenants.findBySlug(slug);
      return stored && withSecurityProfile(stored);
    });
    if (tenant?.status !== 'active') return null;
    // Only tenants that exist earn a metrics label: a made-up slug in a path never does.
    this.labels?.of(tenant.slug);
    return tenant;
  }

  invalidate(slug: string): void {
    this.cache.delete(slug);
  }

  /** Forgets every entry (the config-change channel reconnected: announcements may have been missed). */
  clear(): void {
    this.cache.clear();
  }
}
