import { InvalidClient } from '../errors/rfc6749.errors.js';
import type { AuthenticatableClient, ClientAuthContext } from './client-auth.types.js';
import type { PresentedClientAuth } from './presented-client-auth.js';
import { verifyClientAssertion } from './verify-client-assertion.js';

/**
 * Verifies presented credentials against the registered client. Every failure is the same
 * invalid_client to the client (RFC 6749 §5.2); the reason is kept as the internal cause.
 */
export async function authenticateClient(
  presented: PresentedClientAuth,
  client: AuthenticatableClient,
  context: ClientAuthContext,
): Promise<void> {
  const basic = presented.method === 'client_secret_basic';
  const refuse = (cause: string): InvalidClient => new InvalidClient({ basic, cause });

  if (presented.clientId !== client.clientId) throw refuse('presented client_id is not the client looked up');
  // OAuth 2.1 §2.4: only the registered method; a confidential client cannot pass as public.
  if (presented.method !== client.tokenEndpointAuthMethod) {
    // Said to the client (issue 18): a library's default method against another registration is the
    // usual first-hour mistake. It names a method, never a secret; client ids are not secrets.
    throw new InvalidClient({
      basic,
      cause: `registered for ${client.tokenEndpointAuthMethod}, presented ${presented.method}`,
      hint: `this client is registered for token_endpoint_auth_method ${client.tokenEndpointAuthMethod}, not ${presented.method}`,
    });
  }
  switch (presented.method) {
    case 'none':
      return;
    case 'client_secret_basic':
    case 'client_secret_post':
      if (!matchesAnySecret(presented.clientSecret, client.secretHashes, context)) throw refuse('client secret does not match');
      return;
    case 'private_key_jwt': {
      const problem = await verifyClientAssertion(presented.assertion, client, context);
      if (problem !== null) throw refuse(`client assertion rejected: ${problem}`);
      return;
    }
  }
}

/** Checks every stored hash, with no early exit, so timing does not reveal which one matched. */
function matchesAnySecret(secret: string, hashes: readonly string[], context: ClientAuthContext): boolean {
  let matched = false;
  for (const hash of hashes) matched = context.verifySecret(secret, hash) || matched;
  return matched;
}
