import type { GatehouseConfig } from '@gatehouse/config';
import type { Persistence, Tenant, TenantSettings } from '@gatehouse/persistence';
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

  /** Settings change with optimistic concurrency; `expected` is the version the caller read. */
  async update(slug: string, expected: Tenant, settings: TenantSettings): Promise<Tenant> {
    const bounded = (field: string, value: number | undefined, min: number, max: number) => {
      if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
        throw new AdminProblem('validation_failed', `${field} must be an integer from ${min} to ${max}`, field);
      }
    };
    bounded('access_token_ttl_seconds', settings.accessTokenTtlSeconds, 60, 86_400);
    bounded('id_token_ttl_seconds', settings.idTokenTtlSeconds, 60, 86_400);
    bounded('refresh_token_idle_ttl_seconds', settings.refreshTokenIdleTtlSeconds, 300, 31_536_000);
    bounded('refresh_token_absolute_ttl_seconds', settings.refreshTokenAbsoluteTtlSeconds, 300, 31_536_000);
    if (settings.name !== undefined && (settings.name.trim() === '' || settings.name.length > 200)) {
      throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
    }
    if (slug === 'system' && settings.status === 'disabled')
      throw new AdminProblem('validation_failed', 'the system tenant cannot be disabled', 'status');
    const updated = await this.persistence.repositories.tenants.updateIfUnchanged(expected.id, expected.updatedAt, settings);
    if (!updated) throw new AdminProblem('precondition_failed', 'the tenant changed since you read it; read it again');
    return updated;
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
