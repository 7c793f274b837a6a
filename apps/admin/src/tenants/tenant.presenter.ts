import type { Tenant } from '@gatehouse/persistence';
import { issuerFor, resolveRateLimitPolicy } from '@gatehouse/protocol';
import { resolveRiskPolicy } from '@gatehouse/risk';
import { presentPolicy } from './tenant-policy.js';

/**
 * The tenant as the admin API shows it. The risk and rate-limit policies are the effective ones:
 * the tenant's overrides merged over the platform defaults.
 */
export function presentTenant(tenant: Tenant, publicUrl: string): Record<string, unknown> {
  return {
    slug: tenant.slug,
    name: tenant.name,
    issuer: issuerFor(publicUrl, tenant.slug),
    status: tenant.status,
    access_token_alg: tenant.accessTokenAlg,
    access_token_ttl_seconds: tenant.accessTokenTtlSeconds,
    refresh_token_idle_ttl_seconds: tenant.refreshTokenIdleTtlSeconds,
    refresh_token_absolute_ttl_seconds: tenant.refreshTokenAbsoluteTtlSeconds,
    refresh_without_offline_access: tenant.refreshWithoutOfflineAccess,
    audit_retention_days: tenant.auditRetentionDays,
    id_token_ttl_seconds: tenant.idTokenTtlSeconds,
    consent_policy: tenant.consentPolicy,
    web_loopback_redirects: tenant.webLoopbackRedirects,
    accept_token_endpoint_audience: tenant.acceptTokenEndpointAudience,
    risk_policy: presentPolicy(resolveRiskPolicy(tenant.riskPolicy)),
    rate_limit_policy: presentPolicy(resolveRateLimitPolicy(tenant.rateLimitPolicy)),
    created_at: tenant.createdAt.toISOString(),
  };
}
