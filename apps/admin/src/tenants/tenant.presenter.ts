import { createHash } from 'node:crypto';
import type { Tenant } from '@gatehouse/persistence';
import { issuerFor, resolveDpopPolicy, type DpopPolicy, resolveMfaPolicy, resolveRateLimitPolicy } from '@gatehouse/protocol';
import { resolveRiskPolicy } from '@gatehouse/risk';
import { presentBranding } from './tenant-branding.body.js';
import { presentPolicy } from './tenant-policy.js';

/**
 * The tenant as the admin API shows it. The risk, rate-limit and MFA policies are the effective ones:
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
    passkey_login: tenant.passkeyLogin,
    web_loopback_redirects: tenant.webLoopbackRedirects,
    accept_token_endpoint_audience: tenant.acceptTokenEndpointAudience,
    pushed_authorization_requests: tenant.pushedAuthorizationRequests,
    request_objects: tenant.requestObjects,
    par_lifetime_seconds: tenant.parLifetimeSeconds,
    risk_policy: presentPolicy(resolveRiskPolicy(tenant.riskPolicy)),
    rate_limit_policy: presentPolicy(resolveRateLimitPolicy(tenant.rateLimitPolicy)),
    mfa_policy: presentPolicy<string>(resolveMfaPolicy(tenant.mfaPolicy)),
    dpop_policy: presentDpopPolicy(resolveDpopPolicy(tenant.dpopPolicy)),
    mtls: { enabled: tenant.mtlsEnabled },
    device_authorization: {
      enabled: tenant.deviceAuthorization.enabled,
      code_lifetime_seconds: tenant.deviceAuthorization.codeLifetimeSeconds,
      polling_interval_seconds: tenant.deviceAuthorization.pollingIntervalSeconds,
    },
    authorization_details_types: tenant.authorizationDetailsTypes,
    security_profile: tenant.securityProfile,
    branding: presentBranding(tenant.branding),
    created_at: tenant.createdAt.toISOString(),
  };
}

/**
 * The tenant as its audit events record it: as shown, except that an inline (data:) logo, up to
 * 60 KiB, is recorded by its type, size and SHA-256, which tells one logo from another without
 * carrying the image through the hash chain and every SIEM.
 */
export function presentTenantForAudit(tenant: Tenant, publicUrl: string): Record<string, unknown> {
  const shown = presentTenant(tenant, publicUrl);
  const logo = tenant.branding.logoUri;
  if (logo === undefined || !logo.startsWith('data:')) return shown;
  const digest = createHash('sha256').update(logo).digest('hex');
  const inline = `${logo.slice(0, logo.indexOf(','))} (${logo.length} characters, sha256 ${digest})`;
  return { ...shown, branding: { ...(shown['branding'] as Record<string, string>), logo_uri: inline } };
}

function presentDpopPolicy(policy: DpopPolicy): Record<string, unknown> {
  return { enabled: policy.enabled, require_nonce: policy.requireNonce, proof_max_age_seconds: policy.proofMaxAgeSeconds };
}
