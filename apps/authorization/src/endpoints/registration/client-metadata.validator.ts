import { isIP } from 'node:net';
import type { NewClient } from '@gatehouse/persistence';
import {
  InvalidClientMetadata,
  InvalidRedirectUri,
  isGrantType,
  isTokenEndpointAuthMethod,
  parseScope,
  publicJwksProblem,
  redirectUriProblem,
  type ApplicationType,
} from '@gatehouse/protocol';

export type RegisteredMetadata = Omit<NewClient, 'clientId' | 'secretHash' | 'firstParty'>;

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/**
 * RFC 7591 §2 metadata, validated as strictly as the admin API does: redirect
 * URIs (§2, RFC 8252), grant types consistent with response types (§2.1), the
 * auth method, and jwks (jwks_uri is not supported). Unknown members are ignored.
 */
export async function validateClientMetadata(body: unknown): Promise<RegisteredMetadata> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidClientMetadata({ hint: 'the body must be a JSON object' });
  const input = body as Record<string, unknown>;
  const strings = (field: string): string[] | undefined => {
    const value = input[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string') || value.length > 50)
      throw new InvalidClientMetadata({ hint: `${field} must be an array of strings` });
    return value as string[];
  };
  const string = (field: string): string | undefined => {
    const value = input[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new InvalidClientMetadata({ hint: `${field} must be a string` });
    return value;
  };

  const applicationType = (string('application_type') ?? 'web') as ApplicationType;
  if (applicationType !== 'web' && applicationType !== 'native')
    throw new InvalidClientMetadata({ hint: 'application_type must be web or native' });
  const grantTypes = [...new Set(strings('grant_types') ?? ['authorization_code'])];
  const unknownGrant = grantTypes.find((grant) => !isGrantType(grant));
  if (unknownGrant !== undefined) throw new InvalidClientMetadata({ hint: `unsupported grant type ${unknownGrant}` });
  const responseTypes = strings('response_types') ?? (grantTypes.includes('authorization_code') ? ['code'] : []);
  // §2.1: response_types and grant_types must agree; only `code` exists here.
  if (responseTypes.some((type) => type !== 'code') || responseTypes.includes('code') !== grantTypes.includes('authorization_code')) {
    throw new InvalidClientMetadata({ hint: 'response_types must be ["code"] exactly when grant_types includes authorization_code' });
  }
  const authMethod = string('token_endpoint_auth_method') ?? 'client_secret_basic';
  if (!isTokenEndpointAuthMethod(authMethod)) throw new InvalidClientMetadata({ hint: 'unsupported token_endpoint_auth_method' });
  if (authMethod === 'none' && grantTypes.includes('client_credentials'))
    throw new InvalidClientMetadata({ hint: 'a public client cannot use client_credentials' });

  const redirectUris = [...new Set(strings('redirect_uris') ?? [])];
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0)
    throw new InvalidRedirectUri({ hint: 'redirect_uris is required for authorization_code' });
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri, applicationType);
    if (problem) throw new InvalidRedirectUri({ hint: `${uri} ${problem}` });
  }
  const postLogoutRedirectUris = [...new Set(strings('post_logout_redirect_uris') ?? [])];
  for (const uri of postLogoutRedirectUris) {
    const problem = redirectUriProblem(uri, applicationType);
    if (problem) throw new InvalidClientMetadata({ hint: `post_logout_redirect_uri ${problem}` });
  }
  const backchannelLogoutUri = string('backchannel_logout_uri');
  // The worker POSTs to it: a self-registered client must not aim it at our own network.
  if (backchannelLogoutUri !== undefined && !isPublicHttpsUri(backchannelLogoutUri)) {
    throw new InvalidClientMetadata({ hint: 'backchannel_logout_uri must be https on a public host' });
  }

  if (input['jwks_uri'] !== undefined) throw new InvalidClientMetadata({ hint: 'jwks_uri is not supported; register jwks' });
  let jwks: { keys: Record<string, unknown>[] } | null = null;
  if (authMethod === 'private_key_jwt' || input['jwks'] !== undefined) {
    const problem = await publicJwksProblem(input['jwks']);
    if (problem) throw new InvalidClientMetadata({ hint: problem });
    jwks = input['jwks'] as { keys: Record<string, unknown>[] };
  }
  const scope = string('scope');
  const scopes = scope === undefined ? DEFAULT_SCOPES : parseScope(scope);
  if (!scopes) throw new InvalidClientMetadata({ hint: 'scope is malformed' });
  const name = (string('client_name') ?? 'Dynamically registered client').trim().slice(0, 200) || 'Dynamically registered client';

  return {
    name,
    applicationType,
    tokenEndpointAuthMethod: authMethod,
    redirectUris,
    grantTypes,
    scopes,
    jwks,
    postLogoutRedirectUris,
    backchannelLogoutUri: backchannelLogoutUri ?? null,
  };
}

function isPublicHttpsUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    url.protocol !== 'https:' ||
    url.hash ||
    url.username ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal')
  )
    return false;
  if (isIP(host) === 4) return !/^(0|10|127|169\.254|172\.(1[6-9]|2\d|3[01])|192\.168|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7]))\./.test(host);
  if (isIP(host) === 6) return !/^(::1?$|f[cd]|fe[89ab]|::ffff:)/.test(host);
  return true;
}
