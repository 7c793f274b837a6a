import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey, type KeyObject } from 'jose';

/** How the client authenticates at the token, PAR, revocation and introspection endpoints (RFC 6749 §2.3, RFC 7523, RFC 8705). */
export type ClientAuthentication =
  | { readonly method: 'none' }
  | { readonly method: 'client_secret_basic'; readonly clientSecret: string }
  | { readonly method: 'client_secret_post'; readonly clientSecret: string }
  | {
      readonly method: 'private_key_jwt';
      readonly privateKey: CryptoKey | KeyObject;
      readonly alg: string;
      readonly kid?: string;
    }
  /** The certificate travels in the TLS handshake: pass a `fetch` whose dispatcher presents it. */
  | { readonly method: 'tls_client_auth' | 'self_signed_tls_client_auth' };

/** Adds the client's credentials to a back-channel request's form body and headers. */
export async function authenticateRequest(
  auth: ClientAuthentication,
  clientId: string,
  issuer: string,
  body: URLSearchParams,
  headers: Record<string, string>,
): Promise<void> {
  switch (auth.method) {
    case 'client_secret_basic':
      // RFC 6749 §2.3.1: each part form-urlencoded before the Basic encoding.
      headers['authorization'] = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(auth.clientSecret)}`).toString('base64')}`;
      return;
    case 'client_secret_post':
      body.set('client_id', clientId);
      body.set('client_secret', auth.clientSecret);
      return;
    case 'private_key_jwt': {
      const now = Math.floor(Date.now() / 1000);
      // RFC 7523 §3 as draft-ietf-oauth-rfc7523bis has it: the audience is the issuer, one string.
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: auth.alg, typ: 'JWT', ...(auth.kid ? { kid: auth.kid } : {}) })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(auth.privateKey);
      body.set('client_id', clientId);
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set('client_assertion', assertion);
      return;
    }
    case 'none':
    case 'tls_client_auth':
    case 'self_signed_tls_client_auth':
      // RFC 6749 §2.3 / RFC 8705 §2: no secret in the request, only the client's id.
      body.set('client_id', clientId);
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
