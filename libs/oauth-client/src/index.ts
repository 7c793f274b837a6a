export { OAuthClient, type AuthorizationParameters, type OAuthClientOptions, type PendingAuthorization } from './oauth-client.js';
export { DiscoveryCache, type AuthorizationServerMetadata } from './discovery.js';
export { DpopKey } from './dpop.js';
export { OAuthClientError } from './errors.js';
export { createPkcePair, type PkcePair } from './pkce.js';
export { MemoryTokenStore, type TokenSet, type TokenStore } from './token-store.js';
export type { ClientAuthentication } from './client-authentication.js';
