import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';
import { auditEvents, oauthError, postForm, startAdminApi, type AdminApi } from './items-4-7-8-9-14.fixture.js';

/**
 * Issue 10 item 4: a private_key_jwt assertion's aud is the issuer identifier as a single string.
 * The token endpoint URL only with the tenant's accept_token_endpoint_audience (off by default), and
 * an array aud never: the shapes the 2024 audience-injection disclosure abused.
 */
describe('security item 4: client assertion audience', () => {
  let server: RunningAuthorizationServer;
  let adminApi: AdminApi;
  let issuer: string;
  let clientId: string;
  let privateKey: CryptoKey;
  const tenant = uniqueSlug('item4');

  before(async () => {
    server = await startAuthorizationServer();
    await server.admin.tenants.create(tenant, 'Item 4');
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const created = await server.admin.clients.create({
      tenant,
      name: 'Signed service',
      grantTypes: ['client_credentials'],
      authMethod: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] },
      scope: 'jobs',
    });
    clientId = created.client.clientId;
    issuer = server.issuer(tenant);
    adminApi = await startAdminApi(server);
  });
  after(async () => {
    await adminApi?.close();
    await server?.close();
  });

  async function assertion(aud: string | string[]): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: clientId, sub: clientId, aud, iat: now, exp: now + 60, jti: randomBytes(16).toString('base64url') })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
  }

  function token(aud: string | string[]): Promise<Response> {
    return assertion(aud).then((signed) =>
      postForm(`${issuer}/token`, {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: signed,
      }),
    );
  }

  async function issued(): Promise<number> {
    return (await auditEvents(server, tenant, 'token.issued')).length;
  }

  async function setFlag(value: boolean): Promise<void> {
    const current = await adminApi.send('GET', `/tenants/${tenant}`);
    const patched = await adminApi.send(
      'PATCH',
      `/tenants/${tenant}`,
      { accept_token_endpoint_audience: value },
      { 'if-match': current.etag ?? '' },
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body['accept_token_endpoint_audience'], value);
  }

  it('the issuer as a single string is accepted (control)', async () => {
    assert.equal((await token(issuer)).status, 200);
  });

  it('the tenant setting is shown by the admin API, off by default', async () => {
    const shown = await adminApi.send('GET', `/tenants/${tenant}`);
    assert.equal(shown.body['accept_token_endpoint_audience'], false);
  });

  it('by default the token endpoint URL and every array aud are invalid_client, and nothing is issued', async () => {
    const before = await issued();
    for (const aud of [`${issuer}/token`, [issuer], [issuer, 'https://other-as.example.test'], [`${issuer}/token`], []]) {
      assert.equal(await oauthError(await token(aud), 401), 'invalid_client', JSON.stringify(aud));
    }
    assert.equal(await issued(), before);
  });

  it('with accept_token_endpoint_audience the token endpoint URL is accepted, but only as a single string', async () => {
    await setFlag(true);
    try {
      assert.equal((await token(`${issuer}/token`)).status, 200);
      const before = await issued();
      for (const aud of [[`${issuer}/token`], [`${issuer}/token`, 'https://other-as.example.test'], [issuer]]) {
        assert.equal(await oauthError(await token(aud), 401), 'invalid_client', JSON.stringify(aud));
      }
      assert.equal(await issued(), before);
    } finally {
      await setFlag(false);
    }
  });

  it('the admin API refuses a non-boolean value and changes nothing', async () => {
    const current = await adminApi.send('GET', `/tenants/${tenant}`);
    const refused = await adminApi.send(
      'PATCH',
      `/tenants/${tenant}`,
      { accept_token_endpoint_audience: 'yes' },
      { 'if-match': current.etag ?? '' },
    );
    assert.equal(refused.status, 400);
    assert.equal((await adminApi.send('GET', `/tenants/${tenant}`)).body['accept_token_endpoint_audience'], false);
  });
});
