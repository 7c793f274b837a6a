import type { AuthorizationRequestMode, ConsentPolicy, TenantSettings } from '@gatehouse/persistence';
import {
  authorizationDetailTypesProblem,
  isSecurityProfile,
  MFA_POLICY_CHOICES,
  RATE_LIMIT_POLICY_BOUNDS,
  SECURITY_PROFILES,
  type SecurityProfile,
} from '@gatehouse/protocol';
import { RISK_POLICY_BOUNDS } from '@gatehouse/risk';
import { AdminProblem } from '../errors/admin-problem.js';
import { optionalBoolean, optionalNumber, optionalString, type JsonBody } from '../http/request-body.js';
import { parseBranding } from './tenant-branding.body.js';
import { parseDpopPolicy } from './tenant-dpop-policy.body.js';
import { parsePasskeyLogin } from './tenant-passkey-login.body.js';
import { parseChoiceOverrides, parsePolicyOverrides } from './tenant-policy.js';

const CONSENT_POLICIES: readonly ConsentPolicy[] = ['skip_first_party', 'always'];
const REQUEST_MODES: readonly AuthorizationRequestMode[] = ['disabled', 'enabled', 'required'];

/** The PATCH body's wire names as tenant settings; a policy or branding object replaces the stored one. */
export function parseTenantSettings(input: JsonBody): TenantSettings {
  const status = optionalString(input, 'status');
  if (status !== undefined && status !== 'active' && status !== 'disabled')
    throw new AdminProblem('validation_failed', 'status must be active or disabled', 'status');
  const consentPolicy = optionalString(input, 'consent_policy');
  if (consentPolicy !== undefined && !CONSENT_POLICIES.includes(consentPolicy as ConsentPolicy))
    throw new AdminProblem('validation_failed', `consent_policy must be one of ${CONSENT_POLICIES.join(', ')}`, 'consent_policy');
  return {
    name: optionalString(input, 'name'),
    status,
    accessTokenAlg: optionalString(input, 'access_token_alg'),
    accessTokenTtlSeconds: optionalNumber(input, 'access_token_ttl_seconds'),
    idTokenTtlSeconds: optionalNumber(input, 'id_token_ttl_seconds'),
    refreshTokenIdleTtlSeconds: optionalNumber(input, 'refresh_token_idle_ttl_seconds'),
    refreshTokenAbsoluteTtlSeconds: optionalNumber(input, 'refresh_token_absolute_ttl_seconds'),
    refreshWithoutOfflineAccess: optionalBoolean(input, 'refresh_without_offline_access'),
    auditRetentionDays: optionalNumber(input, 'audit_retention_days'),
    consentPolicy: consentPolicy as ConsentPolicy | undefined,
    passkeyLogin: parsePasskeyLogin(input),
    webLoopbackRedirects: optionalBoolean(input, 'web_loopback_redirects'),
    acceptTokenEndpointAudience: optionalBoolean(input, 'accept_token_endpoint_audience'),
    pushedAuthorizationRequests: requestMode(input, 'pushed_authorization_requests'),
    requestObjects: requestMode(input, 'request_objects'),
    parLifetimeSeconds: optionalNumber(input, 'par_lifetime_seconds'),
    riskPolicy: parsePolicyOverrides('risk_policy', input['risk_policy'], RISK_POLICY_BOUNDS),
    rateLimitPolicy: parsePolicyOverrides('rate_limit_policy', input['rate_limit_policy'], RATE_LIMIT_POLICY_BOUNDS),
    mfaPolicy: parseChoiceOverrides('mfa_policy', input['mfa_policy'], MFA_POLICY_CHOICES),
    dpopPolicy: parseDpopPolicy(input['dpop_policy']),
    mtlsEnabled: parseMtls(input['mtls']),
    ...parseDeviceAuthorization(input['device_authorization']),
    authorizationDetailsTypes: parseAuthorizationDetailsTypes(input['authorization_details_types']),
    securityProfile: parseSecurityProfile(optionalString(input, 'security_profile')),
    branding: parseBranding(input['branding']),
  };
}

function requestMode(input: JsonBody, field: string): AuthorizationRequestMode | undefined {
  const mode = optionalString(input, field);
  if (mode !== undefined && !REQUEST_MODES.includes(mode as AuthorizationRequestMode))
    throw new AdminProblem('validation_failed', `${field} must be one of ${REQUEST_MODES.join(', ')}`, field);
  return mode as AuthorizationRequestMode | undefined;
}

/** `mtls: {enabled}` (RFC 8705): certificate client authentication and bound tokens for the tenant. */
function parseMtls(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  const enabled = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['enabled'] : undefined;
  const members = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  if (typeof enabled !== 'boolean' || members.some((member) => member !== 'enabled'))
    throw new AdminProblem('validation_failed', 'mtls must be {"enabled": true|false}', 'mtls');
  return enabled;
}

/** RFC 9396: `authorization_details_types: {type: JSON Schema}`, replacing the stored ones; `{}` turns it off. */
function parseAuthorizationDetailsTypes(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const problem = authorizationDetailTypesProblem(value);
  if (problem) throw new AdminProblem('validation_failed', `${problem.field} ${problem.message}`, problem.field);
  return value as Record<string, unknown>;
}

const DEVICE_BOUNDS = { code_lifetime_seconds: [60, 1800], polling_interval_seconds: [1, 60] } as const;

/**
 * `device_authorization: {enabled, code_lifetime_seconds?, polling_interval_seconds?}` (RFC 8628,
 * docs/adr/0017): the grant for the tenant, how long a device code lives and how often it may be polled.
 */
export function parseDeviceAuthorization(
  value: unknown,
): Pick<TenantSettings, 'deviceAuthorization' | 'deviceCodeLifetimeSeconds' | 'devicePollingIntervalSeconds'> {
  if (value === undefined) return {};
  const field = 'device_authorization';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AdminProblem('validation_failed', 'device_authorization must be an object', field);
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((member) => member !== 'enabled' && !(member in DEVICE_BOUNDS));
  if (unknown !== undefined)
    throw new AdminProblem('validation_failed', `device_authorization has no member ${unknown}`, `${field}.${unknown}`);
  const enabled = record['enabled'];
  if (enabled !== undefined && typeof enabled !== 'boolean')
    throw new AdminProblem('validation_failed', 'device_authorization.enabled must be true or false', `${field}.enabled`);
  const bounded = (member: keyof typeof DEVICE_BOUNDS): number | undefined => {
    const number = record[member];
    if (number === undefined) return undefined;
    const [min, max] = DEVICE_BOUNDS[member];
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max)
      throw new AdminProblem(
        'validation_failed',
        `device_authorization.${member} must be an integer from ${min} to ${max}`,
        `${field}.${member}`,
      );
    return number;
  };
  return {
    ...(enabled === undefined ? {} : { deviceAuthorization: enabled ? 'enabled' : 'disabled' }),
    ...(record['code_lifetime_seconds'] === undefined ? {} : { deviceCodeLifetimeSeconds: bounded('code_lifetime_seconds') }),
    ...(record['polling_interval_seconds'] === undefined ? {} : { devicePollingIntervalSeconds: bounded('polling_interval_seconds') }),
  };
}

/** `security_profile` (docs/adr/0020): `none`, or `fapi2` for the FAPI 2.0 Security Profile. */
export function parseSecurityProfile(value: string | undefined): SecurityProfile | undefined {
  if (value !== undefined && !isSecurityProfile(value))
    throw new AdminProblem('validation_failed', `security_profile must be one of ${SECURITY_PROFILES.join(', ')}`, 'security_profile');
  return value;
}
