import type { X509Certificate } from 'node:crypto';
import { InvalidClient } from '../errors/rfc6749.errors.js';
import type { AuthenticatableClient, ClientAuthContext } from './client-auth.types.js';
import { certificateInJwks, certificateMatchesSubject, chainsToTrustedCa, withinValidity } from './client-certificate.js';
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
  if (presented.method === 'tls_client_certificate') return verifyCertificate(presented.certificate, client, context, refuse);
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

/** RFC 8705 §2: the certificate authenticates the client its registration names; a public client ignores it. */
function verifyCertificate(
  certificate: X509Certificate,
  client: AuthenticatableClient,
  context: ClientAuthContext,
  refuse: (cause: string) => InvalidClient,
): void {
  switch (client.tokenEndpointAuthMethod) {
    case 'none':
      return;
    case 'tls_client_auth': {
      const subject = client.tlsClientAuthSubject;
      if (!subject) throw refuse('tls_client_auth client without a registered subject');
      if (!certificateMatchesSubject(certificate, subject)) throw refuse(`certificate does not match ${subject.field}`);
      if (!chainsToTrustedCa(certificate, context.trustedClientCas ?? [], context.now())) {
        throw refuse('certificate expired or not issued by a trusted CA');
      }
      return;
    }
    case 'self_signed_tls_client_auth':
      if (!withinValidity(certificate, context.now())) throw refuse('certificate expired or not yet valid');
      if (!certificateInJwks(certificate, client.jwks)) throw refuse('certificate is not in the client jwks');
      return;
    case 'client_secret_basic':
    case 'client_secret_post':
    case 'private_key_jwt':
      throw refuse(`registered for ${client.tokenEndpointAuthMethod}, presented a TLS client certificate`);
  }
}

/** Checks every stored hash, with no early exit, so timing does not reveal which one matched. */
function matchesAnySecret(secret: string, hashes: readonly string[], context: ClientAuthContext): boolean {
  let matched = false;
  for (const hash of hashes) matched = context.verifySecret(secret, hash) || matched;
  return matched;
}
