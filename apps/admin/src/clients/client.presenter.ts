import type { Client } from '@gatehouse/persistence';

/** The client as the admin API shows it: RFC 7591 metadata names, never the secret or its hash. */
export function presentClient(client: Client): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_name: client.name,
    application_type: client.applicationType,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    backchannel_logout_uri: client.backchannelLogoutUri,
    grant_types: client.grantTypes,
    scope: client.scopes.join(' '),
    jwks: client.jwks,
    first_party: client.firstParty,
    created_at: client.createdAt.toISOString(),
  };
}
