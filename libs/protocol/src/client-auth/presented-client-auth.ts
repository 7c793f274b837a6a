import { decodeJwt } from 'jose';
import { InvalidClient, InvalidRequest } from '../errors/index.js';

export type PresentedClientAuth =
  | { readonly method: 'client_secret_basic'; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: 'client_secret_post'; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: 'private_key_jwt'; readonly clientId: string; readonly assertion: string }
  | { readonly method: 'none'; readonly clientId: string };

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Which credentials the request carries (RFC 6749 §2.3, RFC 7523 §2.2). Exactly
 * one method may be used (OAuth 2.1 §2.4): two at once is invalid_request.
 */
export function extractClientCredentials(input: {
  authorization?: string | undefined;
  body: Readonly<Record<string, string | undefined>>;
}): PresentedClientAuth {
  const { body } = input;
  const basic = input.authorization?.match(/^Basic\s+(.+)$/i);
  const methods = [basic, body['client_secret'], body['client_assertion']].filter((m) => m !== undefined && m !== null).length;
  if (methods > 1) throw new InvalidRequest({ hint: 'use exactly one client authentication method' });

  if (basic?.[1]) {
    const { clientId, clientSecret } = decodeBasic(basic[1]);
    if (body['client_id'] !== undefined && body['client_id'] !== clientId)
      throw new InvalidClient({ basic: true, cause: 'client_id differs from Basic credentials' });
    return { method: 'client_secret_basic', clientId, clientSecret };
  }
  if (input.authorization !== undefined && !/^Basic\s/i.test(input.authorization)) {
    throw new InvalidClient({ cause: 'unsupported Authorization scheme at the token endpoint' });
  }
  const clientSecret = body['client_secret'];
  const clientId = body['client_id'];
  if (clientSecret !== undefined) {
    if (!clientId) throw new InvalidClient({ cause: 'client_secret without client_id' });
    return { method: 'client_secret_post', clientId, clientSecret };
  }
  const assertion = body['client_assertion'];
  if (assertion !== undefined) {
    if (body['client_assertion_type'] !== JWT_BEARER_ASSERTION) throw new InvalidClient({ cause: 'unsupported client_assertion_type' });
    const subject = assertionSubject(assertion);
    if (clientId !== undefined && clientId !== subject) throw new InvalidClient({ cause: 'client_id differs from the assertion subject' });
    return { method: 'private_key_jwt', clientId: subject, assertion };
  }
  if (!clientId) throw new InvalidClient({ cause: 'no client authentication' });
  return { method: 'none', clientId };
}

/** RFC 6749 §2.3.1: base64 of id:secret, each form-urlencoded (so `+` is a space). */
function decodeBasic(encoded: string): { clientId: string; clientSecret: string } {
  const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new InvalidClient({ basic: true, cause: 'malformed Basic credentials' });
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClient({ basic: true, cause: 'malformed Basic credentials' });
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function assertionSubject(assertion: string): string {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw new InvalidClient({ cause: 'client_assertion is not a JWT' });
  }
  if (typeof claims.sub !== 'string' || claims.sub !== claims.iss)
    throw new InvalidClient({ cause: 'client_assertion iss and sub must both be the client_id' });
  return claims.sub;
}
