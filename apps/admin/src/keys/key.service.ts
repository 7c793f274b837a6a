import type { GatehouseConfig } from '@gatehouse/config';
import type { Persistence } from '@gatehouse/persistence';
import { KeyRotation, isSigningAlgorithm, requiredAlgorithms, type CreatedKey } from '@gatehouse/tokens';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';

export class KeyService {
  private readonly keys: KeyRotation;

  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly config: GatehouseConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = new KeyRotation(config.keyEncryptionKey);
  }

  /**
   * New keys for every algorithm the tenant signs with. They are published now and
   * sign after KEY_PREPUBLICATION_SECONDS; the old ones stay published until every
   * token they signed has expired.
   */
  async rotate(slug: string): Promise<{ tenant: string; keys: CreatedKey[] }> {
    const tenant = await this.tenants.get(slug);
    const accessTokenAlg = tenant.accessTokenAlg;
    if (!isSigningAlgorithm(accessTokenAlg)) throw new AdminProblem('validation_failed', 'tenant has an unsupported signing algorithm');
    const policy = {
      prepublicationSeconds: this.config.keyPrepublicationSeconds,
      maxTokenLifetimeSeconds: Math.max(tenant.accessTokenTtlSeconds, tenant.idTokenTtlSeconds),
    };
    const keys = await this.persistence.transaction((repos) =>
      this.keys.rotate(repos.signingKeys, tenant.id, requiredAlgorithms(accessTokenAlg), this.now(), policy),
    );
    return { tenant: tenant.slug, keys };
  }

  async listPublished(slug: string): Promise<{ kid: string; alg: string; activatesAt: Date; expiresAt: Date | null }[]> {
    const tenant = await this.tenants.get(slug);
    const keys = await this.persistence.repositories.signingKeys.findPublished(tenant.id, this.now());
    return keys.map(({ kid, alg, activatesAt, expiresAt }) => ({ kid, alg, activatesAt, expiresAt }));
  }
}
