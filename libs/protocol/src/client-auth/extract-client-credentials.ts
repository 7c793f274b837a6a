import type { X509Certificate } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import { InvalidClient, InvalidRequest } from '../errors/rfc6749.errors.js';
import { parseBasicAuthorization } from './basic-credentials.js';
import { JWT_BEARER_ASSERTION_TYPE, type PresentedClientAuth } from './presented-client-auth.js';

export interface ClientCredentialsInput {
  readonly authorization?: string | undefined;
  readonly body: Readonly<Record<string, string | undefined>>;
  /** The TLS client certificate of the request (RFC 8705), when there was one. */
  readonly certificate?: X509Certificate | undefined;
}

/**
 * Works out which client authentication method a request used (RFC 6749 §2.3, RFC 7523 §2.2,
 * OAuth 2.1 §2.4) without verifying anything. Nothing here touches the client registry.
 */
export function extractClientCredentials(input: ClientCredentialsInput): PresentedClientAuth {
  const basic = parseBasicAuthorization(input.authorization);
  const clientId = param(input.body, 'client_id');
  const secret = param(input.body, 'client_secret');
  const assertion = param(input.body, 'client_assertion');
  const assertionType = param(input.body, 'client_assertion_type');

  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in each request.
  const methods = [basic, secret, assertion].filter((presented) => presented !== undefined).length;
  if (methods > 1) throw new InvalidRequest({ hint: 'use exactly one client authentication method', cause: 'several methods' });
  if (assertionType !== undefined && assertion === undefined) {
    throw new InvalidRequest({ hint: 'client_assertion_type without client_assertion' });
  }

  if (basic !== undefined) {
    if (clientId !== undefined && clientId !== basic.clientId) {
      throw new InvalidClient({ basic: true, cause: 'body client_id differs from the Basic user-id' });
    }
    return { method: 'client_secret_basic', ...basic };
  }
  if (assertion !== undefined) return fromAssertion(assertion, assertionType, clientId);
  if (clientId === undefined) {
    throw new InvalidClient({ cause: secret === undefined ? 'no client credentials and no client_id' : 'client_secret without client_id' });
  }
  if (secret !== undefined) return { method: 'client_secret_post', clientId, clientSecret: secret };
  if (input.certificate !== undefined) return { method: 'tls_client_certificate', clientId, certificate: input.certificate };
  return { method: 'none', clientId };
}

/** RFC 7523 §3: iss and sub are both the client_id. Decoded only; authenticateClient verifies it. */
function fromAssertion(assertion: string, assertionType: string | undefined, bodyClientId: string | undefined): PresentedClientAuth {
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw new InvalidClient({ cause: 'unsupported client_assertion_type' });
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch (error) {
    throw new InvalidClient({ cause: `client_assertion is not a JWT: ${String(error)}` });
  }
  const { iss, sub } = claims;
  if (typeof iss !== 'string' || iss === '' || iss !== sub) throw new InvalidClient({ cause: 'client_assertion iss and sub differ' });
  if (bodyClientId !== undefined && bodyClientId !== iss) {
    throw new InvalidClient({ cause: 'client_id differs from the client_assertion issuer' });
  }
  return { method: 'private_key_jwt', clientId: iss, assertion };
}

/** RFC 6749 §3.1: a parameter sent without a value is treated as omitted. */
function param(body: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = body[name];
  return value === undefined || value === '' ? undefined : value;
}
