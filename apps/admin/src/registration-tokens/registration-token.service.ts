import { Injectable } from '@nestjs/common';
import { Persistence, type RegistrationToken } from '@gatehouse/persistence';
import { resolveRegistrationPolicy, SYSTEM_TENANT, type RegistrationPolicyInput, Clock } from '@gatehouse/protocol';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';
import type { CreatedPosition } from '../siem-sinks/siem-cursor.js';
import { presentRegistrationToken } from './registration-token.presenter.js';

export const REGISTRATION_TOKEN_STATES = ['active', 'revoked', 'expired'] as const;
export type RegistrationTokenState = (typeof REGISTRATION_TOKEN_STATES)[number];

const DEFAULT_LIFETIME_SECONDS = 86_400;
const MAX_LIFETIME_SECONDS = 365 * 86_400;

/** Initial access tokens that let a developer register clients at /t/{tenant}/register (RFC 7591 §3). */
@Injectable()
export class RegistrationTokenService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly clock: Clock,
    private readonly audit: AdminAuditService,
  ) {}

  /**
   * The token is returned once; only its hash is kept, and the audit event carries neither.
   * `policy` bounds what it registers (members left out take the default: code + refresh,
   * OpenID scopes). Never in the system tenant: its clients can reach the admin API.
   */
  async create(
    slug: string,
    expiresInSeconds: number = DEFAULT_LIFETIME_SECONDS,
    actor: string = LOCAL_OPERATOR,
    policyInput: RegistrationPolicyInput = {},
  ): Promise<{ token: string; registrationToken: RegistrationToken }> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 60 || expiresInSeconds > MAX_LIFETIME_SECONDS) {
      throw new AdminProblem('validation_failed', `expires_in must be an integer from 60 to ${MAX_LIFETIME_SECONDS} seconds`, 'expires_in');
    }
    const tenant = await this.tenants.get(slug);
    if (tenant.slug === SYSTEM_TENANT)
      throw new AdminProblem('validation_failed', 'dynamic registration is closed in the system tenant', 'tenant');
    const resolved = resolveRegistrationPolicy(policyInput, await this.persistence.repositories.apis.listByTenant(tenant.id));
    if (!resolved.ok)
      throw new AdminProblem(
        'validation_failed',
        `policy.${resolved.problem.field}: ${resolved.problem.message}`,
        `policy.${resolved.problem.field}`,
      );
    const token = generateOpaqueSecret();
    const expiresAt = new Date(this.clock.now().getTime() + expiresInSeconds * 1000);
    const registrationToken = await this.persistence.transaction(async (repos) => {
      const created = await repos.registrationTokens.insert(tenant.id, hashOpaqueSecret(token), expiresAt, resolved.policy);
      const after = presentRegistrationToken(created);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.registration_token.created',
        target: created.id,
        before: null,
        after,
      });
      return created;
    });
    return { token, registrationToken };
  }

  async list(slug: string): Promise<RegistrationToken[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.registrationTokens.listByTenant(tenant.id);
  }

  /** `state` is judged at the service's clock: expired means past expires_at now. */
  async listPage(
    slug: string,
    position: CreatedPosition | null,
    limit: number,
    state?: RegistrationTokenState,
  ): Promise<RegistrationToken[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.registrationTokens.listPage(tenant.id, position, limit, { state, now: this.clock.now() });
  }

  async revoke(slug: string, id: string, actor: string = LOCAL_OPERATOR): Promise<void> {
    const tenant = await this.tenants.get(slug);
    await this.persistence.transaction(async (repos) => {
      const revoked = await repos.registrationTokens.revoke(tenant.id, id, this.clock.now());
      if (!revoked) throw new AdminProblem('not_found', 'unknown or already revoked registration token');
      const after = presentRegistrationToken(revoked);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.registration_token.revoked',
        target: revoked.id,
        before: { ...after, revoked_at: null },
        after,
      });
    });
  }
}
