export { Clock } from './clock.js';
export { asTenantId, type TenantId } from './tenant-id.js';
export { isValidTenantSlug, issuerFor } from './tenant-slug.js';
export { redirectUriProblem, isLoopbackHost, parseLoopbackRedirect, type ApplicationType } from './redirect-uri.js';
export { parseScope } from './scope.js';
export {
  DEVICE_CODE_GRANT_TYPE,
  GRANT_TYPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
  isGrantType,
  isTokenEndpointAuthMethod,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client-metadata.js';
export {
  OAuthError,
  OAUTH_ERROR_CODES,
  type OAuthErrorCode,
  type OAuthErrorOptions,
  type OAuthErrorDefinition,
} from './errors/oauth-error.js';
export {
  CLIENT_AUTH_REALM,
  InvalidRequest,
  InvalidClient,
  InvalidGrant,
  UnauthorizedClient,
  UnsupportedGrantType,
  InvalidScope,
  AccessDenied,
  UnsupportedResponseType,
  ServerError,
  TemporarilyUnavailable,
  RateLimited,
  type InvalidClientOptions,
} from './errors/rfc6749.errors.js';
export { InvalidToken, InsufficientScope, InvalidTarget, type InsufficientScopeOptions } from './errors/bearer.errors.js';
export {
  LoginRequired,
  ConsentRequired,
  InteractionRequired,
  AccountSelectionRequired,
  InvalidRequestUri,
  InvalidRequestObject,
  RequestNotSupported,
  RequestUriNotSupported,
} from './errors/oidc.errors.js';
export {
  InvalidClientMetadata,
  InvalidRedirectUri,
  RegistrationConflict,
  RegistrationPreconditionFailed,
} from './errors/registration.errors.js';
export { AuthorizationPending, SlowDown, ExpiredToken } from './errors/device.errors.js';
export {
  DpopResourceRefusal,
  InvalidDpopProof,
  UseDpopNonce,
  type DpopRefusalOptions,
  type DpopResourceErrorCode,
  type UseDpopNonceOptions,
} from './errors/dpop.errors.js';
export {
  DPOP_ALGORITHMS,
  accessTokenHash,
  verifyDpopProof,
  type DpopNonceCheck,
  type DpopProofCheck,
  type VerifiedDpopProof,
} from './dpop/dpop-proof.js';
export { singleDpopProof } from './dpop/dpop-header.js';
export { DpopNonces } from './dpop/dpop-nonce.js';
export { DEFAULT_DPOP_POLICY, DPOP_PROOF_MAX_AGE_BOUNDS, resolveDpopPolicy, type DpopPolicy } from './dpop/dpop-policy.js';
export {
  bearerChallenge,
  basicChallenge,
  dpopChallenge,
  sanitizeErrorDescription,
  type BearerChallengeParams,
  type DpopChallengeParams,
} from './errors/challenge.js';
export {
  toErrorResponse,
  toServerError,
  authorizationErrorRedirect,
  type OAuthErrorResponse,
  type AuthorizationErrorParams,
} from './errors/error-response.js';
export { JWT_BEARER_ASSERTION_TYPE, type PresentedClientAuth } from './client-auth/presented-client-auth.js';
export { extractClientCredentials, type ClientCredentialsInput } from './client-auth/extract-client-credentials.js';
export { authenticateClient } from './client-auth/authenticate-client.js';
export {
  TLS_CLIENT_AUTH_SUBJECT_FIELDS,
  certificateBindingProblem,
  certificateThumbprint,
  parseCertificate,
  parseCertificateBundle,
  type TlsClientAuthSubject,
  type TlsClientAuthSubjectField,
} from './client-auth/client-certificate.js';
export { CLIENT_ASSERTION_ALGORITHMS } from './client-auth/verify-client-assertion.js';
export { InMemoryAssertionReplayStore, type AssertionReplayStore } from './client-auth/assertion-replay.store.js';
export type { AuthenticatableClient, ClientAuthContext } from './client-auth/client-auth.types.js';
export { describeCause } from './errors/describe-cause.js';
export { publicJwksProblem } from './client-metadata-rules.js';
export { bearerTokenOf, dpopTokenOf } from './bearer-authorization.js';
export { entityTag, ifMatchSatisfied } from './entity-tag.js';
export { OIDC_SCOPES } from './oidc-scopes.js';
export {
  CLIENT_RATE_LIMIT_BOUNDS,
  DEFAULT_RATE_LIMIT_POLICY,
  ENDPOINT_LIMITS,
  RATE_LIMIT_POLICY_BOUNDS,
  resolveRateLimitPolicy,
  type EndpointLimit,
  type RateLimitPolicy,
} from './rate-limit-policy.js';
export { DEFAULT_MFA_POLICY, MFA_POLICY_CHOICES, resolveMfaPolicy, type MfaPolicy } from './mfa-policy.js';
export {
  validateClientMetadata,
  usesClientSecret,
  type ClientMetadataOptions,
  type ClientMetadataProblem,
  type ClientMetadataResult,
  type ValidatedClientMetadata,
} from './client-metadata/validate-client-metadata.js';
export {
  FAPI2_CLIENT_AUTH_METHODS,
  FAPI2_MAX_CODE_LIFETIME_SECONDS,
  FAPI2_SIGNING_ALGORITHMS,
  SECURITY_PROFILES,
  fapi2ClientProblem,
  isFapi2Algorithm,
  isSecurityProfile,
  type ProfiledClient,
  type SecurityProfile,
} from './security-profile/security-profile.js';
export {
  ADMIN_API_IDENTIFIER,
  ADMIN_ROLES,
  ADMIN_SCOPE,
  ROLES_CLAIM,
  SYSTEM_TENANT,
  formatRoleGrant,
  isRoleGrant,
  parseRoleGrant,
  type AdminRole,
  type RoleGrant,
} from './admin-roles.js';
export {
  DEFAULT_REGISTRATION_POLICY,
  REGISTRATION_OPENID_SCOPES,
  policyAllowsApi,
  policyScopes,
  registrationPolicyViolation,
  resolveRegistrationPolicy,
  storedRegistrationPolicy,
  type PolicyApi,
  type RegistrationPolicy,
  type RegistrationPolicyInput,
  type RegistrationPolicyProblem,
} from './registration-policy.js';
export { hasLoneSurrogate } from './unicode-text.js';
export { DISPLAY_URI_MAX_LENGTH, displayUriHost, displayUriProblem, type DisplayUriOptions } from './display-uri.js';
export type { DisplayMetadata } from './client-metadata/display-metadata.js';
export type { RequestMetadata } from './client-metadata/request-metadata.js';
export {
  MAX_REQUEST_OBJECT_LIFETIME_SECONDS,
  REQUEST_OBJECT_ALGORITHMS,
  verifyRequestObject,
  type RequestObjectClient,
  type RequestObjectResult,
} from './request-object/verify-request-object.js';
export {
  OutboundTargetRefused,
  checkOutboundHost,
  checkOutboundUrl,
  guardedLookup,
  isPrivateAddress,
  isPrivateHost,
  type OutboundGuardOptions,
  type OutboundVerdict,
  type ResolveHost,
} from './outbound/outbound-guard.js';
export { ACR_MFA, ACR_PASSWORD, ACR_VALUES_SUPPORTED, acrForAmr, parseAcrValues } from './acr.js';
export {
  decodeRevocation,
  encodeRevocation,
  REVOCATION_CHANNEL,
  type ReceivedRevocation,
  type RevocationMessage,
} from './revocation-message.js';
export { codeHash, formatUserCode, generateUserCode, normalizeUserCode, USER_CODE_ALPHABET } from './device/user-code.js';
export {
  AuthorizationDetailsValidator,
  authorizationDetailTypesProblem,
  InvalidAuthorizationDetails,
  narrowAuthorizationDetails,
  parseAuthorizationDetails,
  type AuthorizationDetail,
  type AuthorizationDetailTypes,
} from './authorization-details/authorization-details.js';
