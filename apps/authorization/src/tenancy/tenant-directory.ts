import type { Tenant } from '@gatehouse/persistence';
import { issuerFor } from '@gatehouse/protocol';
import type { TenantResolver } from './tenant-resolver.js';
import { UnknownTenant } from './unknown-tenant.error.js';

/** What every endpoint starts with: the active tenant its issuer path names, and that tenant's issuer URL. */
export class TenantDirectory {
  constructor(
    private readonly tenants: TenantResolver,
    private readonly publicUrl: string,
  ) {}

  /** The active tenant named by the issuer path, or UnknownTenant (404). */
  async tenant(slug: string): Promise<Tenant> {
    const tenant = await this.tenants.find(slug);
    if (!tenant) throw new UnknownTenant();
    return tenant;
  }

  issuer(tenant: Tenant): string {
    return issuerFor(this.publicUrl, tenant.slug);
  }
}
