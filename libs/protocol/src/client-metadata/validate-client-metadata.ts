import { TLS_CLIENT_AUTH_SUBJECT_FIELDS, type TlsClientAuthSubject } from '../client-auth/client-certificate.js';
import { publicJwksProblem } from '../client-metadata-rules.js';
import { isGrantType, isTokenEndpointAuthMethod, type GrantType, type TokenEndpointAuthMethod } from '../client-metadata.js';
import type { ApplicationType } from '../redirect-uri.js';
import { isPrivateHost } from '../outbound/outbound-guard.js';
import { parseScope } from '../scope.js';
import { displayMetadataOf, type DisplayMetadata } from './display-metadata.js';
import { MetadataFields, type ClientMetadataProblem } from './metadata-fields.js';
import { fapi2ClientProblem, type SecurityProfile } from '../security-profile/security-profile.js';
import { requestMetadataOf, wantsRequestObjectKeys, type RequestMetadata } from './request-metadata.js';
import { isPublicHttpsUri, redirectUriRuleProblem } from './redirect-uri-rules.js';

export type { ClientMetadataProblem } from './metadata-fields.js';

export interface ClientMetadataOptions {
  /** The tenant's policy (tenant.webLoopbackRedirects): may web clients register http loopback redirect URIs? */
  readonly webLoopbackRedirects: boolean;
  /** When grant_types is absent. RFC 7591 §2: authorization_code. */
  readonly defaultGrantTypes?: readonly GrantType[];
  /** When client_name is absent; without a default, client_name is required. */
  readonly defaultClientName?: string;
  /**
   * RFC 7591 registrants hold only an initial access token: their back-channel logout URI must be
   * public https, and their client, logo, policy and terms URIs on a redirect URI's host (§5).
   */
  readonly selfRegistered?: boolean;
  /** OUTBOUND_ALLOW_PRIVATE_TARGETS: an admin may aim back-channel logout at loopback or private hosts. Never a registrant. */
  readonly allowPrivateTargets?: boolean;
  /** The tenant's security profile: under `fapi2` only its client authentication methods and algorithms (docs/adr/0020). */
  readonly securityProfile?: SecurityProfile;
  /** The names of the tenant's registered authorization details types (RFC 9396 §10); none when absent. */
  readonly authorizationDetailsTypes?: readonly string[];
  /**
   * An update's: the types the client already holds, accepted though the tenant has since dropped them,
   * so an unrelated change is not refused (the authorize checks still refuse a request naming one).
   */
  readonly heldAuthorizationDetailsTypes?: readonly string[];
}

/** Client metadata in Gatehouse's terms, every rule checked. */
export interface ValidatedClientMetadata extends DisplayMetadata, RequestMetadata {
  readonly name: string;
  readonly applicationType: ApplicationType;
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris: string[];
  readonly grantTypes: GrantType[];
  readonly scopes: string[];
  readonly jwks: { keys: Record<string, unknown>[] } | null;
  readonly backchannelLogoutUri: string | null;
  readonly rotateRefreshTokens: boolean;
  /** RFC 9449 §5.2: the client always sends DPoP proofs; a token request without one is refused. */
  readonly dpopBoundAccessTokens: boolean;
  /** RFC 8705 §2.1.2: the one certificate attribute a tls_client_auth client authenticates with. */
  readonly tlsClientAuthSubject: TlsClientAuthSubject | null;
  /** RFC 8705 §3.4: access tokens carry the client certificate's `x5t#S256` confirmation. */
  readonly tlsClientCertificateBoundAccessTokens: boolean;
  /** RFC 9396 §10: the tenant's authorization details types it may request; null: any of them. */
  readonly authorizationDetailsTypes: string[] | null;
}

export type ClientMetadataResult =
  | { readonly ok: true; readonly metadata: ValidatedClientMetadata }
  | { readonly ok: false; readonly problems: readonly ClientMetadataProblem[] };

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const SECRET_METHODS: readonly TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

/**
 * The one validator of client metadata (RFC 7591 §2 member names), for the admin API and
 * dynamic registration alike: every problem is reported with its field, none is fixed silently.
 * Unknown members are ignored (RFC 7591 §2).
 */
export async function validateClientMetadata(
  input: Readonly<Record<string, unknown>>,
  options: ClientMetadataOptions,
): Promise<ClientMetadataResult> {
  const fields = new MetadataFields(input);

  const name = clientName(fields, options.defaultClientName);
  const applicationType = fields.string('application_type') ?? 'web';
  if (applicationType !== 'web' && applicationType !== 'native')
    fields.problem('application_type', 'application_type must be web or native');
  const appType: ApplicationType = applicationType === 'native' ? 'native' : 'web';

  const authMethod = fields.string('token_endpoint_auth_method') ?? 'client_secret_basic';
  if (!isTokenEndpointAuthMethod(authMethod)) {
    fields.problem(
      'token_endpoint_auth_method',
      'the token endpoint auth method must be client_secret_basic, client_secret_post, private_key_jwt, tls_client_auth, self_signed_tls_client_auth or none',
    );
  }
  const grantTypes = grantTypesOf(fields, options.defaultGrantTypes ?? ['authorization_code']);
  const usesCode = grantTypes.includes('authorization_code');
  // RFC 7591 §2.1: response_types and grant_types must agree; `code` is the only response type.
  const responseTypes = fields.strings('response_types');
  if (responseTypes && (responseTypes.some((type) => type !== 'code') || responseTypes.includes('code') !== usesCode)) {
    fields.problem('response_types', 'response_types must be ["code"] exactly when grant_types includes authorization_code');
  }
  if (authMethod === 'none' && grantTypes.includes('client_credentials'))
    fields.problem('grant_types', 'a public client cannot use the client_credentials grant');

  const redirectUris = uriList(fields, 'redirect_uris', appType, options.webLoopbackRedirects);
  if (usesCode && fields.problems.every((p) => p.field !== 'redirect_uris') && redirectUris.length === 0)
    fields.problem('redirect_uris', 'the authorization_code grant needs at least one redirect_uri');
  const postLogoutRedirectUris = uriList(fields, 'post_logout_redirect_uris', appType, options.webLoopbackRedirects);
  const backchannelLogoutUri = backchannelUri(fields, options.selfRegistered ?? false, options.allowPrivateTargets ?? false);
  const display = displayMetadataOf(fields, redirectUris, options.selfRegistered ?? false);

  const scope = fields.string('scope');
  const scopes = scope === undefined ? DEFAULT_SCOPES : parseScope(scope);
  if (!scopes) fields.problem('scope', 'scope must be space-separated RFC 6749 scope tokens');

  const jwks = await jwksOf(fields, authMethod, wantsRequestObjectKeys(fields));
  const requestMetadata = requestMetadataOf(fields, jwks !== null || fields.has('jwks'));
  // FAPI 2.0 §5.3.2.1: no refresh token rotation (its refresh tokens are bound to a confidential client);
  // a FAPI tenant's clients default to none, and may still ask for it.
  const rotateRefreshTokens = fields.boolean('rotate_refresh_tokens') ?? (options.securityProfile !== 'fapi2' || authMethod === 'none');
  // OAuth 2.1 §4.3.1: refresh tokens of public clients are sender-constrained or rotated.
  if (!rotateRefreshTokens && authMethod === 'none') fields.problem('rotate_refresh_tokens', 'public clients always rotate refresh tokens');

  const dpopBoundAccessTokens = fields.boolean('dpop_bound_access_tokens') ?? false;
  const tlsClientAuthSubject = tlsClientAuthSubjectOf(fields, authMethod);
  const tlsClientCertificateBoundAccessTokens = fields.boolean('tls_client_certificate_bound_access_tokens') ?? false;
  const authorizationDetailsTypes = authorizationDetailsTypesOf(
    fields,
    options.authorizationDetailsTypes ?? [],
    options.heldAuthorizationDetailsTypes ?? [],
  );

  if (options.securityProfile === 'fapi2' && isTokenEndpointAuthMethod(authMethod)) {
    const problem = fapi2ClientProblem({
      tokenEndpointAuthMethod: authMethod,
      requestObjectSigningAlg: requestMetadata.requestObjectSigningAlg,
    });
    const field = problem?.includes('request_object_signing_alg') ? 'request_object_signing_alg' : 'token_endpoint_auth_method';
    if (problem) fields.problem(field, problem);
  }

  if (fields.problems.length > 0) return { ok: false, problems: fields.problems };
  return {
    ok: true,
    metadata: {
      name,
      applicationType: appType,
      tokenEndpointAuthMethod: authMethod as TokenEndpointAuthMethod,
      redirectUris,
      postLogoutRedirectUris,
      grantTypes,
      scopes: scopes ?? [],
      jwks,
      backchannelLogoutUri,
      rotateRefreshTokens,
      dpopBoundAccessTokens,
      tlsClientAuthSubject,
      tlsClientCertificateBoundAccessTokens,
      authorizationDetailsTypes,
      ...display,
      ...requestMetadata,
    },
  };
}

/** True for the auth methods that authenticate with a client secret. */
export function usesClientSecret(method: string): boolean {
  return (SECRET_METHODS as readonly string[]).includes(method);
}

/** RFC 9396 §10: a subset of the tenant's registered types (and of those the client holds); an empty list allows none. */
function authorizationDetailsTypesOf(fields: MetadataFields, registered: readonly string[], held: readonly string[]): string[] | null {
  const types = fields.strings('authorization_details_types');
  if (types === undefined) return null;
  const unknown = types.find((type) => !registered.includes(type) && !held.includes(type));
  if (unknown !== undefined)
    fields.problem(
      'authorization_details_types',
      registered.length === 0
        ? 'this tenant registers no authorization details types'
        : `authorization details type ${JSON.stringify(unknown.slice(0, 64))} is not registered; registered: ${registered.join(', ')}`,
    );
  return types;
}

function clientName(fields: MetadataFields, fallback: string | undefined): string {
  const name = (fields.string('client_name') ?? fallback ?? '').trim();
  if (name.length === 0 || name.length > 200) {
    fields.problem(
      'client_name',
      fields.has('client_name') || fallback ? 'client_name must be 1-200 characters' : 'client_name is required',
    );
  }
  return name;
}

function grantTypesOf(fields: MetadataFields, fallback: readonly GrantType[]): GrantType[] {
  const values = fields.strings('grant_types');
  if (values === undefined) return fields.has('grant_types') ? [] : [...fallback];
  if (values.length === 0) {
    fields.problem('grant_types', 'grant_types must name at least one grant type');
    return [];
  }
  const unknown = values.filter((value) => !isGrantType(value));
  if (unknown.length > 0) fields.problem('grant_types', `unsupported grant type ${JSON.stringify(unknown[0])}`);
  return values.filter(isGrantType);
}

function uriList(fields: MetadataFields, field: string, applicationType: ApplicationType, webLoopbackRedirects: boolean): string[] {
  const uris = fields.strings(field) ?? [];
  for (const [index, uri] of uris.entries()) {
    const problem = redirectUriRuleProblem(uri, applicationType, webLoopbackRedirects);
    if (problem) fields.problem(field, `${field}[${index}] ${problem}`);
  }
  return uris;
}

/**
 * OIDC Back-Channel Logout 1.0 §2.2: an absolute URI without a fragment; https outside loopback.
 * The worker POSTs to it, so the outbound guard's literal check applies (issue 10 item 3).
 */
function backchannelUri(fields: MetadataFields, selfRegistered: boolean, allowPrivate: boolean): string | null {
  const uri = fields.string('backchannel_logout_uri');
  if (uri === undefined) return null;
  if (selfRegistered) {
    if (!isPublicHttpsUri(uri)) fields.problem('backchannel_logout_uri', 'backchannel_logout_uri must be https on a public host');
    return uri;
  }
  const problem = redirectUriRuleProblem(uri, 'web', true);
  if (problem) fields.problem('backchannel_logout_uri', `backchannel_logout_uri ${problem}`);
  else if (!allowPrivate && isPrivateHost(new URL(uri).hostname))
    fields.problem(
      'backchannel_logout_uri',
      'backchannel_logout_uri must be a public host (private targets need OUTBOUND_ALLOW_PRIVATE_TARGETS=true)',
    );
  return uri;
}

/** RFC 8705 §2.1.2: exactly one of the subject fields, and only with tls_client_auth. */
function tlsClientAuthSubjectOf(fields: MetadataFields, authMethod: string): TlsClientAuthSubject | null {
  const given = TLS_CLIENT_AUTH_SUBJECT_FIELDS.filter((field) => fields.has(field));
  if (authMethod !== 'tls_client_auth') {
    for (const field of given) fields.problem(field, `${field} is only used with the tls_client_auth auth method`);
    return null;
  }
  if (given.length !== 1) {
    fields.problem('token_endpoint_auth_method', `tls_client_auth needs exactly one of ${TLS_CLIENT_AUTH_SUBJECT_FIELDS.join(', ')}`);
    return null;
  }
  const field = given[0]!;
  const value = fields.string(field);
  if (value === undefined || value.trim() === '') {
    fields.problem(field, `${field} must be a non-empty string`);
    return null;
  }
  return { field, value };
}

/**
 * private_key_jwt needs a registered public JWK Set (jwks_uri is not supported); otherwise only a
 * client that signs request objects (RFC 9101) uses one.
 */
async function jwksOf(
  fields: MetadataFields,
  authMethod: string,
  signsRequestObjects: boolean,
): Promise<{ keys: Record<string, unknown>[] } | null> {
  if (fields.has('jwks_uri')) fields.problem('jwks_uri', 'jwks_uri is not supported; register jwks');
  const value = fields.raw('jwks');
  const keyed = authMethod === 'private_key_jwt' || authMethod === 'self_signed_tls_client_auth';
  if (value === undefined) {
    if (keyed && !fields.has('jwks_uri')) fields.problem('jwks', `${authMethod} needs a public JWK Set (jwks)`);
    return null;
  }
  if (!keyed && !signsRequestObjects) {
    fields.problem('jwks', 'a JWK Set is only used with the private_key_jwt auth method or signed request objects');
    return null;
  }
  const problem = await publicJwksProblem(value);
  if (problem) fields.problem('jwks', problem);
  return problem ? null : (value as { keys: Record<string, unknown>[] });
}
