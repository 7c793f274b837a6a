import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { PASSWORD, REDIRECT_URI, signIn } from '../flow/code-flow.fixture.js';
import { certificateHeader, TestPki } from './certificates.js';

const HEADER = 'x-ssl-client-cert';

/** RFC 8705 with the certificate passed by a trusted proxy (URL-encoded PEM header). */
describe('mutual TLS client authentication and certificate-bound tokens (RFC 8705)', () => {
  const pki = new TestPki();
  const certs = {
    service: pki.issue('service', { subject: '/O=Acme/CN=service' }),
    san: pki.issue('san', { subject: '/CN=whatever', dns: 'san.example.test' }),
    other: pki.issue('other', { subject: '/O=Acme/CN=intruder' }),
    expired: pki.issue('expired', { subject: '/O=Acme/CN=service', expired: true }),
  };
  const selfSigned = pki.selfSigned('self', '/CN=self-signed client');
  const foreign = new TestPki();
  const notFromCa = foreign.selfSigned('fake', '/O=Acme/CN=service').pem;

  let server: RunningAuthorizationServer;
  let slug: string;
  const ids = { dn: '', san: '', self: '', bound: '', web: '' };

  before(async () => {
    server = await startAuthorizationServer({
      TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      MTLS_CA_FILE: pki.caFile,
      MTLS_PUBLIC_URL: 'https://mtls.example.test',
    });
    slug = uniqueSlug('mtls');
    const { admin } = server;
    await admin.tenants.create(slug, 'mTLS Corp');
    await admin.tenants.update(slug, await admin.tenants.get(slug), {
      mtlsEnabled: true,
      rateLimitPolicy: { codeExchangesPerClientIpPerMinute: 10_000 },
    });
    const create = async (name: string, authMethod: string, mutualTls: Record<string, unknown>, jwks?: unknown) =>
      (await admin.clients.create({ tenant: slug, name, grantTypes: ['client_credentials'], authMethod, mutualTls, jwks })).client.clientId;
    ids.dn = await create('By DN', 'tls_client_auth', { tls_client_auth_subject_dn: 'CN=service,O=Acme' });
    ids.san = await create('By SAN', 'tls_client_auth', { tls_client_auth_san_dns: 'san.example.test' });
    const selfCert = new X509Certificate(selfSigned.pem);
    const jwk = { ...selfCert.publicKey.export({ format: 'jwk' }), x5c: [selfCert.raw.toString('base64')] };
    ids.self = await create('Self-signed', 'self_signed_tls_client_auth', {}, { keys: [jwk] });
    ids.bound = await create('Bound', 'tls_client_auth', {
      tls_client_auth_subject_dn: 'CN=service,O=Acme',
      tls_client_certificate_bound_access_tokens: true,
    });
    await admin.users.create({ tenant: slug, username: 'alice', email: 'alice@example.com', password: PASSWORD });
    const web = await admin.clients.create({
      tenant: slug,
      name: 'Web',
      authMethod: 'tls_client_auth',
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code'],
      scope: 'openid profile email',
      mutualTls: { tls_client_auth_subject_dn: 'CN=service,O=Acme', tls_client_certificate_bound_access_tokens: true },
    });
    ids.web = web.client.clientId;
  });
  after(async () => {
    await server?.close();
    pki.remove();
    foreign.remove();
  });

  function token(clientId: string, pem: string | undefined, target = server): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (pem !== undefined) headers[HEADER] = certificateHeader(pem);
    return fetch(`${target.issuer(slug)}/token`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId }),
    });
  }

  async function assertInvalidClient(response: Response): Promise<void> {
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
  }

  async function accessToken(response: Response): Promise<string> {
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { access_token: string }).access_token;
  }

  describe('discovery', () => {
    it('advertises the certificate methods, bound tokens and the mTLS aliases where the tenant has mTLS on', async () => {
      const metadata = (await (await fetch(`${server.issuer(slug)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      for (const member of ['token_endpoint_auth_methods_supported', 'introspection_endpoint_auth_methods_supported']) {
        const methods = metadata[member] as string[];
        assert.ok(methods.includes('tls_client_auth') && methods.includes('self_signed_tls_client_auth'), member);
      }
      assert.equal(metadata['tls_client_certificate_bound_access_tokens'], true);
      const aliases = metadata['mtls_endpoint_aliases'] as Record<string, string>;
      assert.equal(aliases['token_endpoint'], `https://mtls.example.test/t/${slug}/token`);
      assert.equal(aliases['userinfo_endpoint'], `https://mtls.example.test/t/${slug}/userinfo`);
    });

    it('advertises none of it, and ignores certificates, where the tenant has mTLS off', async () => {
      const plain = uniqueSlug('nomtls');
      await server.admin.tenants.create(plain, 'Plain Corp');
      const metadata = (await (await fetch(`${server.issuer(plain)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.ok(!(metadata['token_endpoint_auth_methods_supported'] as string[]).includes('tls_client_auth'));
      assert.equal(metadata['tls_client_certificate_bound_access_tokens'], undefined);
      assert.equal(metadata['mtls_endpoint_aliases'], undefined);
      const client = await server.admin.clients.create({
        tenant: plain,
        name: 'By DN',
        grantTypes: ['client_credentials'],
        authMethod: 'tls_client_auth',
        mutualTls: { tls_client_auth_subject_dn: 'CN=service,O=Acme' },
      });
      const response = await fetch(`${server.issuer(plain)}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', [HEADER]: certificateHeader(certs.service) },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client.clientId }),
      });
      await assertInvalidClient(response);
    });
  });

  describe('tls_client_auth and self_signed_tls_client_auth', () => {
    it('authenticates by the registered subject DN', async () => {
      const claims = decodeJwt(await accessToken(await token(ids.dn, certs.service)));
      assert.equal(claims['client_id'], ids.dn);
      assert.equal(claims['cnf'], undefined);
    });

    it('authenticates by the registered dNSName SAN', async () => {
      await accessToken(await token(ids.san, certs.san));
    });

    it('authenticates a self-signed certificate registered in the client jwks', async () => {
      await accessToken(await token(ids.self, selfSigned.pem));
    });

    it('refuses a certificate with another subject', async () => {
      await assertInvalidClient(await token(ids.dn, certs.other));
      await assertInvalidClient(await token(ids.san, certs.service));
    });

    it('refuses a request without a certificate', async () => {
      await assertInvalidClient(await token(ids.dn, undefined));
      await assertInvalidClient(await token(ids.self, undefined));
    });

    it('refuses a certificate not issued by the trusted CA, even with the right subject', async () => {
      await assertInvalidClient(await token(ids.dn, notFromCa));
    });

    it('refuses an expired certificate', async () => {
      await assertInvalidClient(await token(ids.dn, certs.expired));
    });

    it('refuses a self-signed certificate that is not in the client jwks', async () => {
      await assertInvalidClient(await token(ids.self, notFromCa));
    });

    it('refuses a malformed certificate header with invalid_client, not a 500', async () => {
      const response = await fetch(`${server.issuer(slug)}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', [HEADER]: 'not%20a%20certificate' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ids.dn }),
      });
      await assertInvalidClient(response);
    });

    // A second server on the first one's data: PostgreSQL can be shared, the embedded database cannot.
    const sharedDatabase = process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a database two servers share)';
    it('ignores the header from a peer outside TRUSTED_PROXIES', { skip: sharedDatabase }, async () => {
      const untrusted = await startAuthorizationServer({ MTLS_CA_FILE: pki.caFile });
      try {
        await assertInvalidClient(await token(ids.dn, certs.service, untrusted));
      } finally {
        await untrusted.close();
      }
    });
  });

  describe('certificate-bound access tokens', () => {
    const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

    it('binds the token to the client certificate (cnf x5t#S256)', async () => {
      const claims = decodeJwt(await accessToken(await token(ids.bound, certs.service)));
      assert.deepEqual(claims['cnf'], { 'x5t#S256': thumbprint(certs.service) });
    });

    it('introspects with its cnf (token_type Bearer), the caller authenticated by its certificate', async () => {
      const bound = await accessToken(await token(ids.bound, certs.service));
      const introspect = (pem: string | undefined) =>
        fetch(`${server.issuer(slug)}/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(pem ? { [HEADER]: certificateHeader(pem) } : {}) },
          body: new URLSearchParams({ client_id: ids.bound, token: bound }),
        });
      const response = await introspect(certs.service);
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body['active'], true);
      assert.equal(body['token_type'], 'Bearer');
      assert.deepEqual(body['cnf'], { 'x5t#S256': thumbprint(certs.service) });
      await assertInvalidClient(await introspect(undefined));
    });

    it('refuses a token request of a bound client without a certificate', async () => {
      await assertInvalidClient(await token(ids.bound, undefined));
    });

    describe('at userinfo', () => {
      let bound = '';
      before(async () => {
        const verifier = oauth.generateRandomCodeVerifier();
        const url = new URL(`${server.issuer(slug)}/authorize`);
        url.search = new URLSearchParams({
          client_id: ids.web,
          response_type: 'code',
          redirect_uri: REDIRECT_URI,
          scope: 'openid profile',
          state: 'state-1',
          code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        }).toString();
        const { landedAt } = await signIn(new TestBrowser(), server.origin, url.toString());
        const code = new URL(landedAt).searchParams.get('code') ?? '';
        const response = await fetch(`${server.issuer(slug)}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', [HEADER]: certificateHeader(certs.service) },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: ids.web,
            code,
            redirect_uri: REDIRECT_URI,
            code_verifier: verifier,
          }),
        });
        bound = await accessToken(response);
        assert.deepEqual(decodeJwt(bound)['cnf'], { 'x5t#S256': thumbprint(certs.service) });
      });

      const userinfo = (pem: string | undefined) =>
        fetch(`${server.issuer(slug)}/userinfo`, {
          headers: { authorization: `Bearer ${bound}`, ...(pem === undefined ? {} : { [HEADER]: certificateHeader(pem) }) },
        });

      it('answers with the certificate the token is bound to', async () => {
        const response = await userinfo(certs.service);
        assert.equal(response.status, 200);
        assert.equal(typeof ((await response.json()) as { sub: unknown }).sub, 'string');
      });

      for (const [name, pem] of [
        ['another certificate', certs.other],
        ['no certificate', undefined],
      ] as const) {
        it(`refuses the bound token with ${name} (401 invalid_token)`, async () => {
          const response = await userinfo(pem);
          assert.equal(response.status, 401);
          assert.match(response.headers.get('www-authenticate') ?? '', /invalid_token/);
        });
      }
    });
  });
});
