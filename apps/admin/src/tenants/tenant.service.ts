import { CONFIG_CHANGE_PUBLISHER } from '../admin-injection-tokens.js';
import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import { type ConfigChangePublisher, Persistence, type Repositories, type Tenant, type TenantSettings } from '@gatehouse/persistence';
import {
  authorizationDetailTypesProblem,
  FAPI2_SIGNING_ALGORITHMS,
  SYSTEM_TENANT,
  isFapi2Algorithm,
  isValidTenantSlug,
  issuerFor,
  type TenantId,
  Clock,
} from '@gatehouse/protocol';
import {
  KeyRotation,
  SIGNING_ALGORITHMS,
  isSigningAlgorithm,
  requiredAlgorithms,
  type SigningAlgorithm,
  SigningKeyPool,
} from '@gatehouse/tokens';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { normalizeBranding } from './tenant-branding.body.js';
import { parseSecurityProfile } from './tenant-settings.body.js';
import { presentTenantForAudit } from './tenant.presenter.js';

/** What a tenant list may be narrowed by. */
export interface TenantListFilter {
  readonly status?: Tenant['status'] | undefined;
  readonly slugPrefix?: string | undefined;
}

/** The actor of changes made in-process rather than through the HTTP API: the CLI, the bootstrap, fixtures. */
export const LOCAL_OPERATOR = 'gatehouse-cli';

export interface TenantSummary {
  readonly slug: string;
  readonly issuer: string;
  readonly name: string;
}

export interface CreateTenantOptions {
  readonly accessTokenAlg?: string | undefined;
  readonly securityProfile?: string | undefined;
  readonly actor?: string;
}

@Injectable()
export class TenantService {
  private readonly keys: KeyRotation;

  constructor(
    private readonly persistence: Persistence,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
    private readonly clock: Clock,
    @Inject(CONFIG_CHANGE_PUBLISHER) private readonly announce: ConfigChangePublisher,
    private readonly audit: AdminAuditService,
    keyPool: SigningKeyPool,
  ) {
    this.keys = new KeyRotation(config.keyEncryptionKey, keyPool.take);
  }

  /** A tenant and its first signing keys, in one transaction with its audit event: no tenant exists without keys. */
  async create(slug: string, name?: string, options: CreateTenantOptions = {}): Promise<TenantSummary> {
    if (!isValidTenantSlug(slug)) {
      throw new AdminProblem('validation_failed', 'slug must be 2-63 lowercase letters, digits or hyphens', 'slug');
    }
    const displayName = (name ?? slug).trim();
    if (displayName.length === 0 || displayName.length > 200) {
      throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
    }
    const accessTokenAlg = options.accessTokenAlg ?? 'ES256';
    if (!isSigningAlgorithm(accessTokenAlg))
      throw new AdminProblem('validation_failed', 'unsupported signing algorithm', 'access_token_alg');
    const securityProfile = parseSecurityProfile(options.securityProfile);
    checkProfileAlgorithm(securityProfile ?? 'none', accessTokenAlg);

    const keys = await this.keys.generateKeys(requiredAlgorithms(accessTokenAlg));
    const tenant = await this.persistence.transaction(async (repos) => {
      const created = await repos.tenants.insert({
        slug,
        name: displayName,
        accessTokenAlg,
        ...(securityProfile ? { securityProfile } : {}),
      });
      if (!created) throw new AdminProblem('conflict', `tenant "${slug}" already exists`, 'slug');
      await this.keys.storeInitialKeys(repos.signingKeys, created.id, keys, this.clock.now());
      await this.audit.recordIn(repos, created.id, {
        actor: options.actor ?? LOCAL_OPERATOR,
        action: 'admin.tenant.created',
        target: slug,
        before: null,
        after: presentTenantForAudit(created, this.config.publicUrl),
      });
      return created;
    });
    // Caches remember a miss too: a slug probed just before it existed must not stay unknown.
    await this.announce({ kind: 'tenant', tenantId: tenant.id, slug: tenant.slug });
    return this.summarize(tenant);
  }

  listPage(afterSlug: string | null, limit: number, filter: TenantListFilter = {}): Promise<Tenant[]> {
    return this.persistence.repositories.tenants.listPage(afterSlug, limit, filter);
  }

  /**
   * Settings change with optimistic concurrency; `expected` is the version the caller read. A switch
   * to a signing algorithm the tenant has no active key for creates that key in the same transaction,
   * so the next token is signed with it.
   */
  async update(slug: string, expected: Tenant, requested: TenantSettings, actor: string = LOCAL_OPERATOR): Promise<Tenant> {
    validateSettings(slug, requested);
    checkProfileAlgorithm(requested.securityProfile ?? expected.securityProfile, requested.accessTokenAlg ?? expected.accessTokenAlg);
    const settings = requested.branding === undefined ? requested : { ...requested, branding: normalizeBranding(requested.branding) };
    const accessTokenAlg = settings.accessTokenAlg;
    const result = await this.persistence.transaction(async (repos) => {
      const updated = await repos.tenants.updateIfUnchanged(expected.id, expected.updatedAt, settings);
      if (!updated) throw new AdminProblem('precondition_failed', 'the tenant changed since you read it; read it again');
      if (accessTokenAlg !== undefined && isSigningAlgorithm(accessTokenAlg))
        await this.ensureSigningKeys(repos, updated.id, accessTokenAlg);
      const [before, after] = changedFields(
        presentTenantForAudit(expected, this.config.publicUrl),
        presentTenantForAudit(updated, this.config.publicUrl),
      );
      await this.audit.recordIn(repos, updated.id, { actor, action: 'admin.tenant.updated', target: slug, before, after });
      return updated;
    });
    await this.announce({ kind: 'tenant', tenantId: result.id, slug: result.slug });
    return result;
  }

  /**
   * Deletes a tenant and everything in it: users, clients, keys, sessions, grants, its audit trail and
   * SIEM sinks (rows cascade). `confirm` must repeat the slug. The system tenant holds the platform's
   * administrators and cannot go. The deletion itself is audited in the system tenant, which outlives it.
   */
  async delete(slug: string, confirm: string | undefined, actor: string = LOCAL_OPERATOR): Promise<Tenant> {
    const tenant = await this.get(slug);
    if (tenant.slug === SYSTEM_TENANT) throw new AdminProblem('validation_failed', 'the system tenant cannot be deleted', 'tenant');
    if (confirm !== tenant.slug)
      throw new AdminProblem('validation_failed', `confirm must repeat the slug ("${tenant.slug}"): deleting cannot be undone`, 'confirm');
    const system = await this.get(SYSTEM_TENANT);
    await this.persistence.transaction(async (repos) => {
      const before = { ...presentTenantForAudit(tenant, this.config.publicUrl), users: await repos.users.countByTenant(tenant.id) };
      if (!(await repos.tenants.remove(tenant.id))) throw new AdminProblem('tenant_not_found', `unknown tenant "${slug}"`, 'tenant');
      await this.audit.recordIn(repos, system.id, { actor, action: 'admin.tenant.deleted', target: tenant.slug, before, after: null });
    });
    await this.announce({ kind: 'tenant', tenantId: tenant.id, slug: tenant.slug });
    return tenant;
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

  /** Keys that sign immediately for every algorithm the tenant now needs and has no active key for. */
  private async ensureSigningKeys(repos: Repositories, tenantId: TenantId, accessTokenAlg: SigningAlgorithm): Promise<void> {
    const now = this.clock.now();
    const published = await repos.signingKeys.findPublished(tenantId, now);
    const missing = requiredAlgorithms(accessTokenAlg).filter(
      (alg) => !published.some((key) => key.alg === alg && key.activatesAt.getTime() <= now.getTime()),
    );
    if (missing.length > 0) await this.keys.createInitialKeys(repos.signingKeys, tenantId, missing, now);
  }

  private summarize(tenant: Tenant): TenantSummary {
    return { slug: tenant.slug, issuer: issuerFor(this.config.publicUrl, tenant.slug), name: tenant.name };
  }
}

function validateSettings(slug: string, settings: TenantSettings): void {
  const bounded = (field: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new AdminProblem('validation_failed', `${field} must be an integer from ${min} to ${max}`, field);
    }
  };
  bounded('access_token_ttl_seconds', settings.accessTokenTtlSeconds, 60, 86_400);
  bounded('id_token_ttl_seconds', settings.idTokenTtlSeconds, 60, 86_400);
  bounded('refresh_token_idle_ttl_seconds', settings.refreshTokenIdleTtlSeconds, 300, 31_536_000);
  bounded('refresh_token_absolute_ttl_seconds', settings.refreshTokenAbsoluteTtlSeconds, 300, 31_536_000);
  bounded('audit_retention_days', settings.auditRetentionDays, 1, 36_500);
  // RFC 9126 §2.2 expires_in: long enough for a browser redirect, short enough that a leaked request_uri goes stale.
  bounded('par_lifetime_seconds', settings.parLifetimeSeconds, 10, 600);
  bounded('device_authorization.code_lifetime_seconds', settings.deviceCodeLifetimeSeconds, 60, 1800);
  bounded('device_authorization.polling_interval_seconds', settings.devicePollingIntervalSeconds, 1, 60);
  if (settings.authorizationDetailsTypes !== undefined) {
    const problem = authorizationDetailTypesProblem(settings.authorizationDetailsTypes);
    if (problem) throw new AdminProblem('validation_failed', `${problem.field} ${problem.message}`, problem.field);
  }
  if (settings.name !== undefined && (settings.name.trim() === '' || settings.name.length > 200)) {
    throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
  }
  if (settings.accessTokenAlg !== undefined && !isSigningAlgorithm(settings.accessTokenAlg)) {
    throw new AdminProblem('validation_failed', `access_token_alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`, 'access_token_alg');
  }
  if (slug === SYSTEM_TENANT && settings.status === 'disabled')
    throw new AdminProblem('validation_failed', 'the system tenant cannot be disabled', 'status');
}

/**
 * FAPI 2.0 §5.4.1: a fapi2 tenant signs access tokens (and, by default, ID tokens) with ES256, PS256 or
 * EdDSA. Switching a tenant whose access-token algorithm is RS256 is refused rather than changed behind
 * the admin's back: its resource servers may pin the algorithm. Both can change in one PATCH.
 */
function checkProfileAlgorithm(profile: string, accessTokenAlg: string): void {
  if (profile === 'fapi2' && !isFapi2Algorithm(accessTokenAlg))
    throw new AdminProblem(
      'validation_failed',
      `security_profile fapi2 needs access_token_alg ${FAPI2_SIGNING_ALGORITHMS.join(', ')} (the tenant signs with ${accessTokenAlg})`,
      'access_token_alg',
    );
}

/** The members that differ, as a before/after pair for the audit trail. */
function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): [Record<string, unknown>, Record<string, unknown>] {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  return [Object.fromEntries(changed.map((key) => [key, before[key]])), Object.fromEntries(changed.map((key) => [key, after[key]]))];
}
