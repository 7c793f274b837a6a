import type { NewClient, Tenant } from '@gatehouse/persistence';
import { InvalidClientMetadata, InvalidRedirectUri, validateClientMetadata, type ClientMetadataProblem } from '@gatehouse/protocol';

export type RegisteredMetadata = Omit<NewClient, 'clientId' | 'secretHash' | 'firstParty' | 'rotateRefreshTokens'>;

/**
 * RFC 7591 §2 metadata through the shared validator (libs/protocol), with what a
 * self-registered client may not choose: its back-channel logout URI must be public https,
 * and refresh token rotation stays on. Problems become RFC 7591 §3.2.2 errors.
 */
export async function validateRegisteredMetadata(tenant: Tenant, body: unknown): Promise<RegisteredMetadata> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidClientMetadata({ hint: 'the body must be a JSON object' });
  const result = await validateClientMetadata(body as Record<string, unknown>, {
    webLoopbackRedirects: tenant.webLoopbackRedirects,
    defaultClientName: 'Dynamically registered client',
    selfRegistered: true,
  });
  if (!result.ok) throw registrationError(result.problems);
  const { metadata } = result;
  return {
    name: metadata.name,
    applicationType: metadata.applicationType,
    tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
    redirectUris: metadata.redirectUris,
    grantTypes: metadata.grantTypes,
    scopes: metadata.scopes,
    jwks: metadata.jwks,
    postLogoutRedirectUris: metadata.postLogoutRedirectUris,
    backchannelLogoutUri: metadata.backchannelLogoutUri,
  };
}

/** §3.2.2: invalid_redirect_uri when a redirect URI is at fault, else invalid_client_metadata; the hint names the first problem. */
function registrationError(problems: readonly ClientMetadataProblem[]): InvalidRedirectUri | InvalidClientMetadata {
  const redirect = problems.find((problem) => problem.field === 'redirect_uris');
  if (redirect) return new InvalidRedirectUri({ hint: redirect.message });
  return new InvalidClientMetadata({ hint: problems[0]?.message ?? 'invalid client metadata' });
}
