import type { Client } from '@gatehouse/persistence';
import { presentPolicy } from '../tenants/tenant-policy.js';
import { tlsClientAuthMetadata } from './client-metadata.mapping.js';

/** The client as the admin API shows it: RFC 7591 metadata names, never a secret or a hash. */
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
    rotate_refresh_tokens: client.rotateRefreshTokens,
    // RFC 9126 §6 and RFC 9101 §10.5 / OIDC Registration §2: how its authorization requests must arrive.
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
    require_signed_request_object: client.requireSignedRequestObject,
    request_object_signing_alg: client.requestObjectSigningAlg,
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    ...tlsClientAuthMetadata(client),
    // RFC 9396 §10: null means any of the tenant's types.
    authorization_details_types: client.authorizationDetailsTypes,
    // RFC 7591 §2: shown on the sign-in and consent pages.
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    policy_uri: client.policyUri,
    tos_uri: client.tosUri,
    first_party: client.firstParty,
    // RFC 7662 §4: besides its own, it may introspect tokens for these APIs.
    resource_server_for: client.resourceServerFor,
    // Only the overrides: the tenant's effective policy (GET the tenant) fills in the rest.
    rate_limit_policy: presentPolicy(client.rateLimitPolicy),
    // Until then the secret a rotation replaced still authenticates.
    previous_secret_expires_at: client.previousSecretExpiresAt?.toISOString() ?? null,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}
