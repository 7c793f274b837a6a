import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { authorizeUrl, PASSWORD, REDIRECT_URI, signIn, type CodeFlowFixture } from './code-flow.fixture.js';

/** RFC 7523 client authentication at the token endpoint: the good assertion, and each forgery refused. */
describe('private_key_jwt client authentication', () => {
  let server: RunningAuthorizationServer;
  let issuer: string;
  let clientId: string;
  let privateKey: CryptoKey;
  let fixture: CodeFlowFixture;

  before(async () => {
    server = await startAuthorizationServer();
    const tenant = uniqueSlug('pkjwt');
    await server.admin.tenants.create(tenant, 'Keys Corp');
    await server.admin.users.create({ tenant, username: 'alice', password: PASSWORD });
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'client-key-1', alg: 'ES256' }] };
    const created = await server.admin.clients.create({
      tenant,
      name: 'Service',
      redirectUris: [REDIRECT_URI],
      authMethod: 'private_key_jwt',
      jwks,
      firstParty: true,
      scope: 'openid',
    });
    clientId = created.client.clientId;
    issuer = server.issuer(tenant);
    const as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }),
    );
    fixture = {
      tenant,
      issuer,
      as,
      web: { client: { client_id: clientId }, secret: '' },
      spa: { client: { client_id: clientId } },
      firstParty: { client: { client_id: clientId }, secret: '' },
    };
  });
  after(async () => {
    await server?.close();
  });

  async function assertion(
    overrides: {
      aud?: string | string[];
      exp?: number;
      jti?: string | null;
      iss?: string;
      alg?: 'ES256' | 'HS256';
      key?: CryptoKey | Uint8Array;
    } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: overrides.iss ?? clientId,
      sub: clientId,
      aud: overrides.aud ?? issuer,
      iat: now,
      exp: overrides.exp ?? now + 60,
    };
    if (overrides.jti !== null) claims['jti'] = overrides.jti ?? randomBytes(16).toString('base64url');
    return new SignJWT(claims).setProtectedHeader({ alg: overrides.alg ?? 'ES256', kid: 'client-key-1' }).sign(overrides.key ?? privateKey);
  }

  async function redeem(clientAssertion: string): Promise<Response> {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = authorizeUrl(fixture, {
      clientId,
      scope: 'openid',
      state: 's',
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    });
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
    const code = new URL(landedAt).searchParams.get('code') ?? '';
    return fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
      }),
    });
  }

  async function assertInvalidClient(response: Response): Promise<void> {
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
  }

  it('accepts a signed assertion whose aud is the issuer', async () => {
    assert.equal((await redeem(await assertion())).status, 200);
  });

  it('refuses the token endpoint URL as aud by default, and any aud array', async () => {
    await assertInvalidClient(await redeem(await assertion({ aud: `${issuer}/token` })));
    await assertInvalidClient(await redeem(await assertion({ aud: [issuer] })));
    await assertInvalidClient(await redeem(await assertion({ aud: [issuer, 'https://other.example.test'] })));
  });

  it('accepts the token endpoint URL as a single-string aud once the tenant allows it, never in an array', async () => {
    const tenant = await server.admin.tenants.get(fixture.tenant);
    await server.admin.tenants.update(fixture.tenant, tenant, { acceptTokenEndpointAudience: true });
    try {
      assert.equal((await redeem(await assertion({ aud: `${issuer}/token` }))).status, 200);
      await assertInvalidClient(await redeem(await assertion({ aud: [`${issuer}/token`] })));
    } finally {
      await server.admin.tenants.update(fixture.tenant, await server.admin.tenants.get(fixture.tenant), {
        acceptTokenEndpointAudience: false,
      });
    }
  });

  it('refuses a replayed jti', async () => {
    const once = await assertion({ jti: 'same-jti-twice' });
    assert.equal((await redeem(once)).status, 200);
    await assertInvalidClient(await redeem(once));
  });

  it('refuses a foreign audience, a missing jti, an expired or long-lived assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    await assertInvalidClient(await redeem(await assertion({ aud: 'https://other.example.test' })));
    await assertInvalidClient(await redeem(await assertion({ jti: null })));
    await assertInvalidClient(await redeem(await assertion({ exp: now - 120 })));
    await assertInvalidClient(await redeem(await assertion({ exp: now + 3600 })));
  });

  it('refuses an HS256 assertion and one signed by a key the client never registered', async () => {
    await assertInvalidClient(await redeem(await assertion({ alg: 'HS256', key: randomBytes(32) })));
    const stranger = await generateKeyPair('ES256');
    await assertInvalidClient(await redeem(await assertion({ key: stranger.privateKey })));
  });
});
