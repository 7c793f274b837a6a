import {
  GRANT_TYPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
  isGrantType,
  isTokenEndpointAuthMethod,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client-metadata.js';

/**
 * What a holder of an initial access token may register (RFC 7591 §3: the server decides
 * what a registrant may ask for). Set by the admin who created the token, remembered by
 * each client registered with it, so RFC 7592 updates are held to it too.
 */
export interface RegistrationPolicy {
  readonly grantTypes: readonly GrantType[];
  /** Scopes allowed by name: OpenID Connect scopes and/or API scopes. */
  readonly scopes: readonly string[];
  /** APIs (RFC 8707 resource identifiers) every scope of which is allowed. */
  readonly apis: readonly string[];
  readonly tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[];
}

/** OIDC Core §5.4 standard scopes and §11 offline_access: they name no API. */
export const REGISTRATION_OPENID_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'];

/** When the admin says nothing: a user-facing app (code + refresh) asking for OpenID scopes only. */
export const DEFAULT_REGISTRATION_POLICY: RegistrationPolicy = Object.freeze({
  grantTypes: ['authorization_code', 'refresh_token'] as GrantType[],
  scopes: REGISTRATION_OPENID_SCOPES,
  apis: [],
  // The mTLS methods (RFC 8705) are opted into per tenant.
  tokenEndpointAuthMethods: TOKEN_ENDPOINT_AUTH_METHODS.filter((method) => !method.includes('tls_client_auth')),
});

/** An API as a policy sees it: its identifier and the scopes it defines. */
export interface PolicyApi {
  readonly identifier: string;
  readonly scopes: readonly string[];
}

export interface RegistrationPolicyProblem {
  /** The wire name of the policy member at fault. */
  readonly field: 'grant_types' | 'scopes' | 'apis' | 'token_endpoint_auth_methods';
  readonly message: string;
}

export interface RegistrationPolicyInput {
  readonly grantTypes?: readonly string[] | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly apis?: readonly string[] | undefined;
  readonly tokenEndpointAuthMethods?: readonly string[] | undefined;
}

/**
 * An admin's policy, members left out taking their default; every name must be known:
 * grant types and auth methods Gatehouse implements, OpenID scopes or scopes of the
 * tenant's APIs (`apis`), and API identifiers registered in the tenant.
 */
export function resolveRegistrationPolicy(
  input: RegistrationPolicyInput,
  tenantApis: readonly PolicyApi[],
): { readonly ok: true; readonly policy: RegistrationPolicy } | { readonly ok: false; readonly problem: RegistrationPolicyProblem } {
  const grantTypes = [...new Set(input.grantTypes ?? DEFAULT_REGISTRATION_POLICY.grantTypes)];
  const unknownGrant = grantTypes.find((value) => !isGrantType(value));
  if (grantTypes.length === 0 || unknownGrant !== undefined) {
    const message = unknownGrant ? `unknown grant type ${JSON.stringify(unknownGrant)}` : 'grant_types must name at least one grant type';
    return { ok: false, problem: { field: 'grant_types', message: `${message} (one of ${GRANT_TYPES.join(', ')})` } };
  }
  const methods = [...new Set(input.tokenEndpointAuthMethods ?? DEFAULT_REGISTRATION_POLICY.tokenEndpointAuthMethods)];
  const unknownMethod = methods.find((value) => !isTokenEndpointAuthMethod(value));
  if (methods.length === 0 || unknownMethod !== undefined) {
    const message = unknownMethod ? `unknown auth method ${JSON.stringify(unknownMethod)}` : 'name at least one auth method';
    return { ok: false, problem: { field: 'token_endpoint_auth_methods', message } };
  }
  const apis = [...new Set(input.apis ?? [])];
  const unknownApi = apis.find((identifier) => !tenantApis.some((api) => api.identifier === identifier));
  if (unknownApi !== undefined) return { ok: false, problem: { field: 'apis', message: `unknown API ${JSON.stringify(unknownApi)}` } };
  const scopes = [...new Set(input.scopes ?? DEFAULT_REGISTRATION_POLICY.scopes)];
  const known = new Set([...REGISTRATION_OPENID_SCOPES, ...tenantApis.flatMap((api) => api.scopes)]);
  const unknownScope = scopes.find((scope) => !known.has(scope));
  if (unknownScope !== undefined) {
    return {
      ok: false,
      problem: { field: 'scopes', message: `unknown scope ${JSON.stringify(unknownScope)}: not an OpenID scope nor a scope of an API` },
    };
  }
  return {
    ok: true,
    policy: { grantTypes: grantTypes as GrantType[], scopes, apis, tokenEndpointAuthMethods: methods as TokenEndpointAuthMethod[] },
  };
}

/** Every scope the policy allows, given the scopes the allowed APIs define today. */
export function policyScopes(policy: RegistrationPolicy, tenantApis: readonly PolicyApi[]): Set<string> {
  const fromApis = tenantApis.filter((api) => policy.apis.includes(api.identifier)).flatMap((api) => api.scopes);
  return new Set([...policy.scopes, ...fromApis]);
}

/**
 * Whether a client registered under the policy may have tokens for the API (RFC 8707 resource):
 * one the policy names in `apis`, or one defining a scope the policy allows by name. Its token then
 * carries that API's own scopes only, so a same-named scope of another API is never granted.
 */
export function policyAllowsApi(policy: RegistrationPolicy, api: PolicyApi): boolean {
  return policy.apis.includes(api.identifier) || api.scopes.some((scope) => policy.scopes.includes(scope));
}

/** RFC 7591 §3.2.2: the first registered value the policy does not allow, named by its metadata field. */
export function registrationPolicyViolation(
  metadata: { readonly grantTypes: readonly string[]; readonly scopes: readonly string[]; readonly tokenEndpointAuthMethod: string },
  policy: RegistrationPolicy,
  allowedScopes: ReadonlySet<string>,
): { readonly field: string; readonly message: string } | null {
  const grant = metadata.grantTypes.find((value) => !(policy.grantTypes as readonly string[]).includes(value));
  if (grant !== undefined) return { field: 'grant_types', message: `grant_types: ${grant} is not allowed for this registration` };
  const scope = metadata.scopes.find((value) => !allowedScopes.has(value));
  // The scope is the registrant's free text: named by field only (the grant and method values are from closed lists).
  if (scope !== undefined) return { field: 'scope', message: 'scope: a requested scope is not allowed for this registration' };
  if (!(policy.tokenEndpointAuthMethods as readonly string[]).includes(metadata.tokenEndpointAuthMethod)) {
    return {
      field: 'token_endpoint_auth_method',
      message: `token_endpoint_auth_method: ${metadata.tokenEndpointAuthMethod} is not allowed for this registration`,
    };
  }
  return null;
}

/** A policy as stored (JSON); anything missing or malformed reads as the default, never as wider. */
export function storedRegistrationPolicy(value: unknown): RegistrationPolicy {
  if (typeof value !== 'object' || value === null) return DEFAULT_REGISTRATION_POLICY;
  const record = value as Record<string, unknown>;
  const strings = (member: unknown): string[] | undefined =>
    Array.isArray(member) && member.every((item) => typeof item === 'string') ? member : undefined;
  return {
    grantTypes: (strings(record['grantTypes']) ?? DEFAULT_REGISTRATION_POLICY.grantTypes).filter(isGrantType),
    scopes: strings(record['scopes']) ?? DEFAULT_REGISTRATION_POLICY.scopes,
    apis: strings(record['apis']) ?? [],
    tokenEndpointAuthMethods: (strings(record['tokenEndpointAuthMethods']) ?? DEFAULT_REGISTRATION_POLICY.tokenEndpointAuthMethods).filter(
      isTokenEndpointAuthMethod,
    ),
  };
}
