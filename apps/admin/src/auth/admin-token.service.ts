import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import { Persistence } from '@gatehouse/persistence';
import { issuerFor, Clock } from '@gatehouse/protocol';
import { decodeJwt } from 'jose';
import { accessTokenAlgorithm, mintAccessToken, TenantKeyCache } from '@gatehouse/tokens';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { SYSTEM_TENANT } from '../platform/platform-bootstrap.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';
import { ADMIN_API_IDENTIFIER, ADMIN_ROLES, ADMIN_SCOPE, ROLES_CLAIM, formatRoleGrant, type AdminRole } from './admin-roles.js';

const TOKEN_LIFETIME_SECONDS = 900;
/** RFC 7638 SHA-256 thumbprint, base64url: 43 characters. */
const JWK_THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** Short-lived admin tokens for scripts (the CLI), signed by the system tenant like any other access token. */
@Injectable()
export class AdminTokenService {
  private readonly keys: TenantKeyCache;

  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
    private readonly clock: Clock,
    private readonly audit: AdminAuditService,
  ) {
    this.keys = new TenantKeyCache(persistence.repositories.signingKeys, config.keyEncryptionKey, { now: () => clock.now() });
  }

  async mint(options: {
    tenant?: string | undefined;
    role?: string | undefined;
    /** Shorter than the default for tests of expiry; never longer. */
    lifetimeSeconds?: number;
    /** RFC 9449 §6.1: bind the token to this key thumbprint; the admin API then needs a DPoP proof (ADMIN_PUBLIC_URL). */
    dpopJkt?: string | undefined;
  }): Promise<{ accessToken: string; expiresIn: number }> {
    const lifetime = Math.min(options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS, TOKEN_LIFETIME_SECONDS);
    const role = (options.role ?? (options.tenant ? 'tenant_admin' : 'platform_admin')) as AdminRole;
    if (!ADMIN_ROLES.includes(role)) throw new AdminProblem('validation_failed', `role must be one of ${ADMIN_ROLES.join(', ')}`, 'role');
    if (role === 'platform_admin' && options.tenant)
      throw new AdminProblem('validation_failed', 'platform_admin is not scoped to a tenant', 'tenant');
    if (role !== 'platform_admin' && !options.tenant) throw new AdminProblem('validation_failed', `${role} needs --tenant`, 'tenant');
    if (options.dpopJkt !== undefined && !JWK_THUMBPRINT.test(options.dpopJkt))
      throw new AdminProblem(
        'validation_failed',
        'dpop_jkt must be an RFC 7638 SHA-256 JWK thumbprint (43 base64url characters)',
        'dpop_jkt',
      );
    const scoped = options.tenant ? await this.tenants.get(options.tenant) : null;

    const system = await this.tenants.get(SYSTEM_TENANT);
    const key = await this.keys.signingKey(system.id, accessTokenAlgorithm(system.accessTokenAlg));
    const accessToken = await mintAccessToken(key, {
      issuer: issuerFor(this.config.publicUrl, SYSTEM_TENANT),
      subject: 'gatehouse-cli',
      audience: ADMIN_API_IDENTIFIER,
      clientId: 'gatehouse-cli',
      scope: [ADMIN_SCOPE],
      now: this.clock.now(),
      lifetimeSeconds: lifetime,
      extraClaims: {
        [ROLES_CLAIM]: [formatRoleGrant({ role, tenant: options.tenant ?? null })],
        ...(options.dpopJkt === undefined ? {} : { cnf: { jkt: options.dpopJkt } }),
      },
    });
    // Who can act as an administrator is audited like any change: in the tenant the token is for
    // (the system tenant for platform_admin), before the token is handed out. Never the token itself.
    await this.audit.recordIn(this.persistence.repositories, (scoped ?? system).id, {
      actor: LOCAL_OPERATOR,
      action: 'admin.token.minted',
      target: decodeJwt(accessToken).jti ?? '',
      before: null,
      after: { role, tenant: options.tenant ?? null, expires_in: lifetime, dpop_bound: options.dpopJkt !== undefined },
    });
    return { accessToken, expiresIn: lifetime };
  }
}
