import type { Client } from '@gatehouse/persistence';
import type { ClientMetadataProblem, ValidatedClientMetadata } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';
import type { JsonBody } from '../http/request-body.js';

/** What PATCH may change; the id, auth method, secret and first-party flag are fixed. */
const UPDATABLE = [
  'client_name',
  'application_type',
  'redirect_uris',
  'post_logout_redirect_uris',
  'grant_types',
  'scope',
  'jwks',
  'backchannel_logout_uri',
  'rotate_refresh_tokens',
  'require_pushed_authorization_requests',
  'require_signed_request_object',
  'request_object_signing_alg',
  'dpop_bound_access_tokens',
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
  'tls_client_certificate_bound_access_tokens',
  'authorization_details_types',
  'client_uri',
  'logo_uri',
  'policy_uri',
  'tos_uri',
] as const;
/** Members PATCH may set to null, clearing them. */
const NULLABLE = new Set([
  'jwks',
  'backchannel_logout_uri',
  'request_object_signing_alg',
  // RFC 8705 §2.1.2: one subject member at a time, so moving to another clears the first.
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
  'authorization_details_types',
  'client_uri',
  'logo_uri',
  'policy_uri',
  'tos_uri',
]);

/** The shared validator's first problem as the admin API's field-level 400. */
export function adminProblemOf(problems: readonly ClientMetadataProblem[]): AdminProblem {
  const first = problems[0] ?? { field: 'client', message: 'invalid client metadata' };
  return new AdminProblem('validation_failed', first.message, first.field);
}

/** A stored client in RFC 7591 member names: what a PATCH is merged into. */
export function metadataOf(client: Client): Record<string, unknown> {
  return {
    client_name: client.name,
    application_type: client.applicationType,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    scope: client.scopes.join(' '),
    jwks: client.jwks,
    backchannel_logout_uri: client.backchannelLogoutUri,
    rotate_refresh_tokens: client.rotateRefreshTokens,
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
    require_signed_request_object: client.requireSignedRequestObject,
    request_object_signing_alg: client.requestObjectSigningAlg,
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    ...tlsClientAuthMetadata(client),
    authorization_details_types: client.authorizationDetailsTypes,
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    policy_uri: client.policyUri,
    tos_uri: client.tosUri,
  };
}

/** A member of a client that PATCH cannot change (its id, auth method, secret, first-party flag): refused with what can. */
export function unchangeableClientField(field: string): AdminProblem {
  return new AdminProblem(
    'validation_failed',
    `${field} cannot be changed; updatable: ${UPDATABLE.join(', ')}, resource_server_for, rate_limit_policy`,
    field,
  );
}

/** RFC 7396-style merge of a PATCH body into the stored metadata; refuses members that cannot change. */
export function mergePatch(client: Client, patch: JsonBody): Record<string, unknown> {
  const merged = metadataOf(client);
  for (const [field, value] of Object.entries(patch)) {
    if (!(UPDATABLE as readonly string[]).includes(field)) throw unchangeableClientField(field);
    if (value === null && !NULLABLE.has(field)) throw new AdminProblem('validation_failed', `${field} cannot be null`, field);
    merged[field] = value;
  }
  return merged;
}

/** The columns an update writes. */
export function changesOf(metadata: ValidatedClientMetadata) {
  return {
    name: metadata.name,
    applicationType: metadata.applicationType,
    redirectUris: metadata.redirectUris,
    postLogoutRedirectUris: metadata.postLogoutRedirectUris,
    grantTypes: metadata.grantTypes,
    scopes: metadata.scopes,
    jwks: metadata.jwks,
    backchannelLogoutUri: metadata.backchannelLogoutUri,
    rotateRefreshTokens: metadata.rotateRefreshTokens,
    requirePushedAuthorizationRequests: metadata.requirePushedAuthorizationRequests,
    requireSignedRequestObject: metadata.requireSignedRequestObject,
    requestObjectSigningAlg: metadata.requestObjectSigningAlg,
    dpopBoundAccessTokens: metadata.dpopBoundAccessTokens,
    tlsClientAuthSubject: metadata.tlsClientAuthSubject,
    tlsClientCertificateBoundAccessTokens: metadata.tlsClientCertificateBoundAccessTokens,
    authorizationDetailsTypes: metadata.authorizationDetailsTypes,
    clientUri: metadata.clientUri,
    logoUri: metadata.logoUri,
    policyUri: metadata.policyUri,
    tosUri: metadata.tosUri,
  };
}

/** RFC 8705 §2.1.2 and §3.4 members of a client, as registered. */
export function tlsClientAuthMetadata(
  client: Pick<Client, 'tlsClientAuthSubject' | 'tlsClientCertificateBoundAccessTokens'>,
): Record<string, unknown> {
  const subject = client.tlsClientAuthSubject;
  return {
    ...(subject ? { [subject.field]: subject.value } : {}),
    tls_client_certificate_bound_access_tokens: client.tlsClientCertificateBoundAccessTokens,
  };
}
