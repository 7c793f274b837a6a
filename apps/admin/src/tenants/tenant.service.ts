import type { GatehouseConfig } from '@gatehouse/config';
import type { Persistence, Tenant } from '@gatehouse/persistence';
import { isValidTenantSlug, issuerFor } from '@gatehouse/protocol';
import { KeyRotation, isSigningAlgorithm, requiredAlgorithms, type SigningAlgorithm } from '@gatehouse/tokens';
import { AdminProblem } from '../errors/admin-problem.js';

export interface TenantSummary {
  readonly slug: string;
  readonly issuer: string;
  readonly name: string;
}

export class TenantService {
  private readonly keys: KeyRotation;

  constructor(
    private readonly persistence: Persistence,
    private readonly config: GatehouseConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = new KeyRotation(config.keyEncryptionKey);
  }

  /** A tenant and its first signing keys, in one transaction: no tenant exists without keys. */
  async create(slug: string, name?: string, accessTokenAlg: SigningAlgorithm = 'ES256'): Promise<TenantSummary> {
    if (!isValidTenantSlug(slug)) {
      throw new AdminProblem('validation_failed', 'slug must be 2-63 lowercase letters, digits or hyphens', 'slug');
    }
    const displayName = (name ?? slug).trim();
    if (displayName.length === 0 || displayName.length > 200) {
      throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
    }
    if (!isSigningAlgorithm(accessTokenAlg))
      throw new AdminProblem('validation_failed', 'unsupported signing algorithm', 'access_token_alg');

    const tenant = await this.persistence.transaction(async (repos) => {
      const created = await repos.tenants.insert({ slug, name: displayName, accessTokenAlg });
      if (!created) throw new AdminProblem('conflict', `tenant "${slug}" already exists`, 'slug');
      await this.keys.createInitialKeys(repos.signingKeys, created.id, requiredAlgorithms(accessTokenAlg), this.now());
      return created;
    });
    return this.summarize(tenant);
  }

  listPage(afterSlug: string | null, limit: number): Promise<Tenant[]> {
    return this.persistence.repositories.tenants.listPage(afterSlug, limit);
  }

  async list(): Promise<TenantSummary[]> {
    const tenants = await this.persistence.repositories.tenants.list();
    return tenants.map((tenant) => this.summarize(tenant));
  }

  async get(slug: string): Promise<Tenant> {
    const tenant = isValidTenantSlug(slug) ? await this.persistence.repositories.tenants.findBySlug(slug) : null;
    if (!tenant) throw new AdminProblem('tenant_not_found', `unknown tenant "${slug}"`, 'tenant');
    return tenant;
  }

  private summarize(tenant: Tenant): TenantSummary {
    return { slug: tenant.slug, issuer: issuerFor(this.config.publicUrl, tenant.slug), name: tenant.name };
  }
}
