import assert from 'node:assert/strict';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { certificateHeader, TestPki } from '../mtls/certificates.js';

const HEADER = 'x-ssl-client-cert';

/** FAPI 2.0 with mutual TLS on (docs/adr/0020): certificates authenticate and sender-constrain, DPoP not needed. */
describe('FAPI 2.0 Security Profile with mutual TLS', () => {
  const pki = new TestPki();
  const cert = pki.issue('service', { subject: '/O=Acme/CN=service' });
  const thumbprint = createHash('sha256').update(new X509Certificate(cert).raw).digest('base64url');
  let server: RunningAuthorizationServer;
  let slug: string;
  let issuer: string;
  let tlsClient: string;
  let jwtClient: string;
  let key: CryptoKey;

  before(async () => {
    server = await startAuthorizationServer({ TRUSTED_PROXIES: '127.0.0.1/32,::1/128', MTLS_CA_FILE: pki.caFile });
    slug = uniqueSlug('fapimtls');
    const { admin } = server;
    await admin.tenants.create(slug, 'FAPI mTLS', { securityProfile: 'fapi2' });
    await admin.tenants.update(slug, await admin.tenants.get(slug), { mtlsEnabled: true });
    issuer = server.issuer(slug);
    // Not registered for certificate-bound tokens: under the profile a presented certificate binds anyway.
    tlsClient = (
      await admin.clients.create({
        tenant: slug,
        name: 'TLS',
        grantTypes: ['client_credentials'],
        authMethod: 'tls_client_auth',
        mutualTls: { tls_client_auth_subject_dn: 'CN=service,O=Acme' },
      })
    ).client.clientId;
    const pair = await generateKeyPair('PS256', { extractable: true });
    key = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'ps', alg: 'PS256' }] };
    jwtClient = (
      await admin.clients.create({ tenant: slug, name: 'JWT', grantTypes: ['client_credentials'], authMethod: 'private_key_jwt', jwks })
    ).client.clientId;
  });
  after(async () => {
    await server?.close();
    pki.remove();
  });

  async function token(form: Record<string, string>, pem?: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (pem !== undefined) headers[HEADER] = certificateHeader(pem);
    return fetch(`${issuer}/token`, { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'client_credentials', ...form }) });
  }

  async function assertion(): Promise<Record<string, string>> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({
      iss: jwtClient,
      sub: jwtClient,
      aud: issuer,
      iat: now,
      exp: now + 60,
      jti: randomBytes(16).toString('base64url'),
    })
      .setProtectedHeader({ alg: 'PS256', kid: 'ps' })
      .sign(key);
    return { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt };
  }

  it('discovery lists private_key_jwt and the certificate methods, nothing else', async () => {
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.deepEqual([...(metadata['token_endpoint_auth_methods_supported'] as string[])].sort(), [
      'private_key_jwt',
      'self_signed_tls_client_auth',
      'tls_client_auth',
    ]);
    assert.equal(metadata['tls_client_certificate_bound_access_tokens'], true);
  });

  it('tls_client_auth: the token is bound to the certificate (cnf x5t#S256) without DPoP', async () => {
    const response = await token({ client_id: tlsClient }, cert);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { access_token: string; token_type: string };
    assert.equal(body.token_type, 'Bearer');
    assert.deepEqual(decodeJwt(body.access_token)['cnf'], { 'x5t#S256': thumbprint });
  });

  it('private_key_jwt (PS256) with a certificate is bound to it; without one nor DPoP it is invalid_request', async () => {
    const bound = await token(await assertion(), cert);
    assert.equal(bound.status, 200, await bound.clone().text());
    assert.deepEqual(decodeJwt(((await bound.json()) as { access_token: string }).access_token)['cnf'], { 'x5t#S256': thumbprint });
    const unbound = await token(await assertion());
    assert.equal(unbound.status, 400);
    assert.equal(((await unbound.json()) as { error: string }).error, 'invalid_request');
  });
});
