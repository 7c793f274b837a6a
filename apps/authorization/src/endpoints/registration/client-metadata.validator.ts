import type { NewClient, Tenant } from '@gatehouse/persistence';
import {
  InvalidClientMetadata,
  InvalidRedirectUri,
  policyScopes,
  registrationPolicyViolation,
  validateClientMetadata,
  type ClientMetadataProblem,
  type GrantType,
  type PolicyApi,
  type RegistrationPolicy,
} from '@gatehouse/protocol';

export type RegisteredMetadata = Omit<
  NewClient,
  'clientId' | 'secretHash' | 'firstParty' | 'rotateRefreshTokens' | 'registrationPolicy' | 'adminConsole'
> &
  // Required here, unlike in NewClient: an RFC 7592 update must clear what it leaves out.
  Required<
    Pick<
      NewClient,
      | 'clientUri'
      | 'logoUri'
      | 'policyUri'
      | 'tosUri'
      | 'requirePushedAuthorizationRequests'
      | 'requireSignedRequestObject'
      | 'requestObjectSigningAlg'
      | 'authorizationDetailsTypes'
    >
  >;

/**
 * RFC 7591 §2 metadata through the shared validator (libs/protocol), with what a
 * self-registered client may not choose: its back-channel logout URI must be public https,
 * its client, logo, policy and terms URIs must be on the host of a redirect URI (§5),
 * refresh token rotation stays on, and everything it asks for stays inside the registration
 * policy of its initial access token (members left out default to values inside it).
 * Problems become RFC 7591 §3.2.2 errors. Language-tagged members (`client_name#de`,
 * `logo_uri#fr`, RFC 7591 §2.2) are ignored like any unknown member: the pages use the untagged one.
 */
export async function validateRegisteredMetadata(
  tenant: Tenant,
  body: unknown,
  policy: RegistrationPolicy,
  tenantApis: readonly PolicyApi[],
  /** An update's: the types the client holds (ClientMetadataOptions.heldAuthorizationDetailsTypes). */
  heldAuthorizationDetailsTypes: readonly string[] = [],
): Promise<RegisteredMetadata> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidClientMetadata({ hint: 'the body must be a JSON object' });
  const input = { ...(body as Record<string, unknown>) };
  // The shared default (client_secret_basic) may be outside the policy: then its first method.
  if (input['token_endpoint_auth_method'] === undefined && !policy.tokenEndpointAuthMethods.includes('client_secret_basic'))
    input['token_endpoint_auth_method'] = policy.tokenEndpointAuthMethods[0];
  const result = await validateClientMetadata(input, {
    webLoopbackRedirects: tenant.webLoopbackRedirects,
    defaultClientName: 'Dynamically registered client',
    defaultGrantTypes: defaultGrantTypes(policy),
    selfRegistered: true,
    securityProfile: tenant.securityProfile,
    authorizationDetailsTypes: Object.keys(tenant.authorizationDetailsTypes),
    heldAuthorizationDetailsTypes,
  });
  if (!result.ok) throw registrationError(result.problems);
  const { metadata } = result;
  const allowedScopes = policyScopes(policy, tenantApis);
  const defaulted = metadata.scopes.filter((scope) => allowedScopes.has(scope));
  const scopes = input['scope'] !== undefined ? metadata.scopes : defaulted.length > 0 ? defaulted : [...allowedScopes];
  const violation = registrationPolicyViolation({ ...metadata, scopes }, policy, allowedScopes);
  if (violation) throw new InvalidClientMetadata({ hint: violation.message, cause: `registration policy: ${violation.field}` });
  return {
    name: metadata.name,
    applicationType: metadata.applicationType,
    tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
    redirectUris: metadata.redirectUris,
    grantTypes: metadata.grantTypes,
    scopes,
    jwks: metadata.jwks,
    postLogoutRedirectUris: metadata.postLogoutRedirectUris,
    backchannelLogoutUri: metadata.backchannelLogoutUri,
    dpopBoundAccessTokens: metadata.dpopBoundAccessTokens,
    tlsClientAuthSubject: metadata.tlsClientAuthSubject,
    tlsClientCertificateBoundAccessTokens: metadata.tlsClientCertificateBoundAccessTokens,
    // RFC 7591 §2; the shared validator holds them to a redirect URI's host (§5). RFC 7592 §2.2: a
    // member left out of an update is cleared, so each is written, null when absent.
    clientUri: metadata.clientUri,
    logoUri: metadata.logoUri,
    policyUri: metadata.policyUri,
    tosUri: metadata.tosUri,
    requirePushedAuthorizationRequests: metadata.requirePushedAuthorizationRequests,
    requireSignedRequestObject: metadata.requireSignedRequestObject,
    requestObjectSigningAlg: metadata.requestObjectSigningAlg,
    authorizationDetailsTypes: metadata.authorizationDetailsTypes,
  };
}

/** RFC 7591 §2 says authorization_code; when the policy does not allow it, what it does allow. */
function defaultGrantTypes(policy: RegistrationPolicy): GrantType[] {
  return policy.grantTypes.includes('authorization_code') ? ['authorization_code'] : [...policy.grantTypes];
}

/** §3.2.2: invalid_redirect_uri when a redirect URI is at fault, else invalid_client_metadata; the hint names the first problem. */
function registrationError(problems: readonly ClientMetadataProblem[]): InvalidRedirectUri | InvalidClientMetadata {
  const redirect = problems.find((problem) => problem.field === 'redirect_uris');
  if (redirect) return new InvalidRedirectUri({ hint: redirect.message });
  return new InvalidClientMetadata({ hint: problems[0]?.message ?? 'invalid client metadata' });
}
