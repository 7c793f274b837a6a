export { extractClientCredentials, JWT_BEARER_ASSERTION, type PresentedClientAuth } from './presented-client-auth.js';
export { authenticateClient, type AuthenticatableClient, type ClientAuthContext } from './authenticate-client.js';
export { InMemoryAssertionReplayStore, type AssertionReplayStore } from './replay-store.js';
