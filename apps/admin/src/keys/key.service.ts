import { CONFIG_CHANGE_PUBLISHER } from '../admin-injection-tokens.js';
import { Clock } from '@gatehouse/protocol';
import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import { type ConfigChangePublisher, Persistence } from '@gatehouse/persistence';
import { KeyRotation, isSigningAlgorithm, requiredAlgorithms, type CreatedKey, type SigningAlgorithm } from '@gatehouse/tokens';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';

@Injectable()
export class KeyService {
  private readonly keys: KeyRotation;

  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
    private readonly clock: Clock,
    @Inject(CONFIG_CHANGE_PUBLISHER) private readonly announce: ConfigChangePublisher,
    private readonly audit: AdminAuditService,
  ) {
    this.keys = new KeyRotation(config.keyEncryptionKey);
  }

  /**
   * New keys for every algorithm the tenant signs with. They are published now and
   * sign after KEY_PREPUBLICATION_SECONDS; the old ones stay published until every
   * token they signed has expired. The audit event is written in the rotation's transaction.
   */
  async rotate(slug: string, actor: string = LOCAL_OPERATOR): Promise<{ tenant: string; keys: CreatedKey[] }> {
    const tenant = await this.tenants.get(slug);
    const accessTokenAlg = tenant.accessTokenAlg;
    if (!isSigningAlgorithm(accessTokenAlg)) throw new AdminProblem('validation_failed', 'tenant has an unsupported signing algorithm');
    const policy = {
      prepublicationSeconds: this.config.keyPrepublicationSeconds,
      maxTokenLifetimeSeconds: Math.max(tenant.accessTokenTtlSeconds, tenant.idTokenTtlSeconds),
    };
    const now = this.clock.now();
    const keys = await this.persistence.transaction(async (repos) => {
      const published = await repos.signingKeys.findPublished(tenant.id, now);
      const created = await this.keys.rotate(repos.signingKeys, tenant.id, requiredAlgorithms(accessTokenAlg), now, policy);
      const before = { keys: published.map((key) => ({ kid: key.kid, alg: key.alg })) };
      const after = { keys: created.map((key) => ({ kid: key.kid, alg: key.alg, activates_at: key.activatesAt.toISOString() })) };
      await this.audit.recordIn(repos, tenant.id, { actor, action: 'admin.keys.rotated', target: tenant.slug, before, after });
      return created;
    });
    // New keys are published now: JWKS caches should show them without waiting for their refresh.
    await this.announce({ kind: 'tenant', tenantId: tenant.id, slug: tenant.slug });
    return { tenant: tenant.slug, keys };
  }

  async listPublished(
    slug: string,
    alg?: SigningAlgorithm,
  ): Promise<{ kid: string; alg: string; activatesAt: Date; expiresAt: Date | null }[]> {
    const tenant = await this.tenants.get(slug);
    const keys = await this.persistence.repositories.signingKeys.listPublished(tenant.id, this.clock.now(), alg);
    return keys.map(({ kid, alg, activatesAt, expiresAt }) => ({ kid, alg, activatesAt, expiresAt }));
  }
}
