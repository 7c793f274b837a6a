export { asTenantId, type TenantId } from './tenant-id.js';
export { isValidTenantSlug, issuerFor } from './tenant-slug.js';
export { redirectUriProblem, isLoopbackHost, type ApplicationType } from './redirect-uri.js';
export { parseScope } from './scope.js';
export {
  GRANT_TYPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
  isGrantType,
  isTokenEndpointAuthMethod,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client-metadata.js';
export * from './errors/index.js';
export * from './client-auth/index.js';
