import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { signIn } from '../flow/code-flow.fixture.js';
import { createDpopTenant, handmadeProof, insecure, proofKey, REDIRECT_URI, type DpopTenant, type ProofKey } from './dpop.fixture.js';

/** RFC 9449 end to end: positive flows through oauth4webapi, refusals with proofs made by hand. */
describe('DPoP (RFC 9449)', () => {
  let server: RunningAuthorizationServer;
  let tenant: DpopTenant;
  before(async () => {
    server = await startAuthorizationServer();
    tenant = await createDpopTenant(server);
  });
  after(async () => {
    await server?.close();
  });

  const tokenUrl = () => `${tenant.issuer}/token`;
  const userinfoUrl = () => `${tenant.issuer}/userinfo`;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  async function clientCredentials(dpop: Record<string, string> | string | undefined, client = tenant.service): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: basic(client.client.client_id, client.secret),
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (typeof dpop === 'string') headers['dpop'] = dpop;
    const init: RequestInit = { method: 'POST', headers, body: 'grant_type=client_credentials' };
    if (typeof dpop === 'object') init.headers = { ...headers, ...dpop };
    return fetch(tokenUrl(), init);
  }

  async function assertRefused(response: Response, error: string, status = 400): Promise<void> {
    assert.equal(response.status, status);
    const body = (await response.json()) as { error: string };
    assert.equal(body.error, error);
  }

  /** Signs alice in with the SPA, dpop_jkt bound to `bindTo`, and redeems the code with `DPoP`. */
  async function codeFlow(bindTo: oauth.DPoPHandle | null, redeemWith: oauth.DPoPHandle | undefined, at: DpopTenant = tenant) {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(at.as.authorization_endpoint ?? '');
    url.search = new URLSearchParams({
      client_id: at.spa.client.client_id,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile offline_access',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(bindTo ? { dpop_jkt: await bindTo.calculateThumbprint() } : {}),
    }).toString();
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url.toString());
    const callback = oauth.validateAuthResponse(at.as, at.spa.client, new URL(landedAt), state);
    return oauth.authorizationCodeGrantRequest(at.as, at.spa.client, oauth.None(), callback, REDIRECT_URI, verifier, {
      ...insecure,
      ...(redeemWith ? { DPoP: redeemWith } : {}),
    });
  }

  describe('discovery', () => {
    it('advertises dpop_signing_alg_values_supported only where the tenant has DPoP on', async () => {
      assert.ok(tenant.as.dpop_signing_alg_values_supported?.includes('ES256'));
      assert.ok(!tenant.as.dpop_signing_alg_values_supported?.includes('HS256'));
      const plain = uniqueSlug('nodpop');
      await server.admin.tenants.create(plain, 'No DPoP');
      const metadata = (await (await fetch(`${server.issuer(plain)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal('dpop_signing_alg_values_supported' in metadata, false);
    });
  });

  describe('positive flows (oauth4webapi)', () => {
    it('client_credentials: a DPoP token bound by cnf.jkt, and introspection shows the binding', async () => {
      const keyPair = await oauth.generateKeyPair('ES256');
      const DPoP = oauth.DPoP(tenant.service.client, keyPair);
      const response = await oauth.clientCredentialsGrantRequest(
        tenant.as,
        tenant.service.client,
        oauth.ClientSecretBasic(tenant.service.secret),
        new URLSearchParams(),
        { ...insecure, DPoP },
      );
      const tokens = await oauth.processClientCredentialsResponse(tenant.as, tenant.service.client, response);
      assert.equal(tokens.token_type, 'dpop');
      const claims = decodeJwt(tokens.access_token);
      assert.deepEqual(claims['cnf'], { jkt: await DPoP.calculateThumbprint() });

      const introspection = await fetch(`${tenant.issuer}/introspect`, {
        method: 'POST',
        headers: {
          authorization: basic(tenant.service.client.client_id, tenant.service.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      const body = (await introspection.json()) as Record<string, unknown>;
      assert.equal(body['active'], true);
      assert.equal(body['token_type'], 'DPoP');
      assert.deepEqual(body['cnf'], { jkt: await DPoP.calculateThumbprint() });
    });

    it('without a DPoP header the same client still gets a Bearer token', async () => {
      const response = await clientCredentials(undefined);
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body['token_type'], 'Bearer');
      assert.equal('cnf' in decodeJwt(String(body['access_token'])), false);
    });

    it('authorization code with dpop_jkt, userinfo with DPoP, refresh bound to the same key; another key is refused', async () => {
      const DPoP = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256'));
      const response = await codeFlow(DPoP, DPoP);
      const tokens = await oauth.processAuthorizationCodeResponse(tenant.as, tenant.spa.client, response, { requireIdToken: true });
      assert.equal(tokens.token_type, 'dpop');
      assert.equal((decodeJwt(tokens.access_token)['cnf'] as { jkt: string }).jkt, await DPoP.calculateThumbprint());
      const sub = decodeJwt(tokens.access_token).sub ?? '';

      const userinfo = await oauth.userInfoRequest(tenant.as, tenant.spa.client, tokens.access_token, { ...insecure, DPoP });
      const profile = await oauth.processUserInfoResponse(tenant.as, tenant.spa.client, sub, userinfo);
      assert.equal(profile.sub, sub);

      const thief = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256'));
      const stolen = await oauth.refreshTokenGrantRequest(tenant.as, tenant.spa.client, oauth.None(), tokens.refresh_token ?? '', {
        ...insecure,
        DPoP: thief,
      });
      await assertRefused(stolen, 'invalid_grant');
      const unproven = await oauth.refreshTokenGrantRequest(
        tenant.as,
        tenant.spa.client,
        oauth.None(),
        tokens.refresh_token ?? '',
        insecure,
      );
      await assertRefused(unproven, 'invalid_grant');

      const refreshed = await oauth.processRefreshTokenResponse(
        tenant.as,
        tenant.spa.client,
        await oauth.refreshTokenGrantRequest(tenant.as, tenant.spa.client, oauth.None(), tokens.refresh_token ?? '', { ...insecure, DPoP }),
      );
      assert.equal(refreshed.token_type, 'dpop');
      assert.equal((decodeJwt(refreshed.access_token)['cnf'] as { jkt: string }).jkt, await DPoP.calculateThumbprint());
    });

    /** Pushes the request with a proof by `pushWith` (RFC 9449 §10.1), signs alice in with its request_uri, redeems with `redeemWith`. */
    async function pushedCodeFlow(pushWith: oauth.DPoPHandle, redeemWith: oauth.DPoPHandle, extra: Record<string, string> = {}) {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const params = new URLSearchParams({
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...extra,
      });
      const pushed = await oauth.pushedAuthorizationRequest(tenant.as, tenant.spa.client, oauth.None(), params, {
        ...insecure,
        DPoP: pushWith,
      });
      if (pushed.status !== 201) return { pushed };
      const { request_uri } = (await pushed.json()) as { request_uri: string };
      const url = new URL(tenant.as.authorization_endpoint ?? '');
      url.search = new URLSearchParams({ client_id: tenant.spa.client.client_id, request_uri }).toString();
      const { landedAt } = await signIn(new TestBrowser(), server.origin, url.toString());
      const callback = oauth.validateAuthResponse(tenant.as, tenant.spa.client, new URL(landedAt), state);
      const redeemed = await oauth.authorizationCodeGrantRequest(
        tenant.as,
        tenant.spa.client,
        oauth.None(),
        callback,
        REDIRECT_URI,
        verifier,
        {
          ...insecure,
          DPoP: redeemWith,
        },
      );
      return { pushed, redeemed };
    }

    it('a proof sent with the pushed request binds the code to its key; a dpop_jkt naming another key is refused', async () => {
      const key = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256'));
      const other = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256'));
      const bound = await pushedCodeFlow(key, key);
      const tokens = await oauth.processAuthorizationCodeResponse(
        tenant.as,
        tenant.spa.client,
        bound.redeemed ?? assert.fail('not pushed'),
      );
      assert.equal((decodeJwt(tokens.access_token)['cnf'] as { jkt: string }).jkt, await key.calculateThumbprint());
      await assertRefused((await pushedCodeFlow(key, other)).redeemed ?? assert.fail('not pushed'), 'invalid_grant');
      const mismatch = await pushedCodeFlow(key, key, { dpop_jkt: await other.calculateThumbprint() });
      assert.equal(mismatch.redeemed, undefined);
      await assertRefused(mismatch.pushed, 'invalid_dpop_proof');
    });

    it('a code bound with dpop_jkt is refused when redeemed with another key or without a proof', async () => {
      const bound = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256'));
      const other = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256'));
      await assertRefused(await codeFlow(bound, other), 'invalid_grant');
      await assertRefused(await codeFlow(bound, undefined), 'invalid_grant');
    });
  });

  describe('refused proofs at the token endpoint (invalid_dpop_proof)', () => {
    let key: ProofKey;
    before(async () => {
      key = await proofKey();
    });
    const now = () => Math.floor(Date.now() / 1000);

    it('a proof is accepted as made here (the refusals below differ in one thing)', async () => {
      const response = await clientCredentials(await handmadeProof(key, { htu: tokenUrl() }));
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as Record<string, unknown>)['token_type'], 'DPoP');
    });

    it('wrong htm', async () => {
      await assertRefused(await clientCredentials(await handmadeProof(key, { htm: 'GET', htu: tokenUrl() })), 'invalid_dpop_proof');
    });

    it('wrong htu (another tenant, another endpoint); query and fragment are ignored', async () => {
      await assertRefused(
        await clientCredentials(await handmadeProof(key, { htu: `${server.origin}/t/other/token` })),
        'invalid_dpop_proof',
      );
      await assertRefused(await clientCredentials(await handmadeProof(key, { htu: `${tenant.issuer}/userinfo` })), 'invalid_dpop_proof');
      const withQuery = await clientCredentials(await handmadeProof(key, { htu: `${tokenUrl()}?a=1#frag` }));
      assert.equal(withQuery.status, 200);
    });

    it('an old iat and a future iat', async () => {
      await assertRefused(await clientCredentials(await handmadeProof(key, { htu: tokenUrl(), iat: now() - 600 })), 'invalid_dpop_proof');
      await assertRefused(await clientCredentials(await handmadeProof(key, { htu: tokenUrl(), iat: now() + 600 })), 'invalid_dpop_proof');
    });

    it('a replayed jti', async () => {
      const proof = await handmadeProof(key, { htu: tokenUrl() });
      assert.equal((await clientCredentials(proof)).status, 200);
      await assertRefused(await clientCredentials(proof), 'invalid_dpop_proof');
    });

    it('alg none and HS256', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ htm: 'POST', htu: tokenUrl(), iat: now(), jti: 'none-1' })).toString('base64url');
      // Two dots and an empty signature do not even pass as a header value of one JWS.
      await assertRefused(await clientCredentials(`${header}.${payload}.`), 'invalid_dpop_proof');
      await assertRefused(await clientCredentials(`${header}.${payload}.AAAA`), 'invalid_dpop_proof');
      const secret = new Uint8Array(32).fill(9);
      const hs256 = await handmadeProof(key, {
        htu: tokenUrl(),
        alg: 'HS256',
        signWith: secret,
        jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') },
      });
      await assertRefused(await clientCredentials(hs256), 'invalid_dpop_proof');
    });

    it('private key material in the jwk header', async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(pair.privateKey);
      const proof = await handmadeProof(key, { htu: tokenUrl(), jwk: privateJwk, signWith: pair.privateKey });
      await assertRefused(await clientCredentials(proof), 'invalid_dpop_proof');
    });

    it('two DPoP headers', async () => {
      const first = await handmadeProof(key, { htu: tokenUrl() });
      const second = await handmadeProof(key, { htu: tokenUrl() });
      const headers = new Headers({
        authorization: basic(tenant.service.client.client_id, tenant.service.secret),
        'content-type': 'application/x-www-form-urlencoded',
      });
      headers.append('dpop', first);
      headers.append('dpop', second);
      await assertRefused(
        await fetch(tokenUrl(), { method: 'POST', headers, body: 'grant_type=client_credentials' }),
        'invalid_dpop_proof',
      );
    });

    it('a dpop_bound_access_tokens client without a proof', async () => {
      await assertRefused(await clientCredentials(undefined, tenant.bound), 'invalid_dpop_proof');
      const proven = await clientCredentials(await handmadeProof(key, { htu: tokenUrl() }), tenant.bound);
      assert.equal(proven.status, 200);
    });
  });

  describe('refusals at userinfo (401 with a DPoP challenge)', () => {
    let key: ProofKey;
    let accessToken: string;
    before(async () => {
      const DPoP = oauth.DPoP(tenant.spa.client, await oauth.generateKeyPair('ES256', { extractable: true }));
      const tokens = await oauth.processAuthorizationCodeResponse(tenant.as, tenant.spa.client, await codeFlow(null, DPoP), {
        requireIdToken: true,
      });
      accessToken = tokens.access_token;
      key = await proofKey();
      // The token is bound to the handle's key; `key` is another one, to sign proofs the server must refuse.
    });

    const ath = (token: string) => createHashB64(token);

    async function userinfo(headers: Record<string, string>): Promise<Response> {
      return fetch(userinfoUrl(), { headers });
    }

    async function assertChallenge(response: Response, error: string): Promise<void> {
      assert.equal(response.status, 401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      assert.match(challenge, new RegExp(`^DPoP .*error="${error}"`));
      assert.match(challenge, /algs="[^"]*ES256/);
      assert.equal(((await response.json()) as { error: string }).error, error);
    }

    it('a DPoP-bound token presented as Bearer is refused (invalid_token)', async () => {
      const response = await userinfo({ authorization: `Bearer ${accessToken}` });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_token');
    });

    it('without a proof, without ath, with a wrong ath', async () => {
      await assertChallenge(await userinfo({ authorization: `DPoP ${accessToken}` }), 'invalid_dpop_proof');
      const noAth = await handmadeProof(key, { htm: 'GET', htu: userinfoUrl() });
      await assertChallenge(await userinfo({ authorization: `DPoP ${accessToken}`, dpop: noAth }), 'invalid_dpop_proof');
      const wrongAth = await handmadeProof(key, { htm: 'GET', htu: userinfoUrl(), ath: ath('another token') });
      await assertChallenge(await userinfo({ authorization: `DPoP ${accessToken}`, dpop: wrongAth }), 'invalid_dpop_proof');
    });

    it('a proof signed by another key than cnf.jkt', async () => {
      const proof = await handmadeProof(key, { htm: 'GET', htu: userinfoUrl(), ath: ath(accessToken) });
      await assertChallenge(await userinfo({ authorization: `DPoP ${accessToken}`, dpop: proof }), 'invalid_dpop_proof');
    });

    it('a Bearer token with the DPoP scheme', async () => {
      const bearer = await fetch(tokenUrl(), {
        method: 'POST',
        headers: {
          authorization: basic(tenant.service.client.client_id, tenant.service.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const token = String(((await bearer.json()) as Record<string, unknown>)['access_token']);
      const proof = await handmadeProof(key, { htm: 'GET', htu: userinfoUrl(), ath: ath(token) });
      await assertChallenge(await userinfo({ authorization: `DPoP ${token}`, dpop: proof }), 'invalid_token');
    });
  });

  describe('server nonces', () => {
    let nonceTenant: DpopTenant;
    before(async () => {
      nonceTenant = await createDpopTenant(server, { requireNonce: true });
    });

    it('a proof without a nonce gets use_dpop_nonce with a DPoP-Nonce header; oauth4webapi retries with it', async () => {
      const key = await proofKey();
      const response = await fetch(`${nonceTenant.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: basic(nonceTenant.service.client.client_id, nonceTenant.service.secret),
          'content-type': 'application/x-www-form-urlencoded',
          dpop: await handmadeProof(key, { htu: `${nonceTenant.issuer}/token` }),
        },
        body: 'grant_type=client_credentials',
      });
      assert.equal(response.status, 400);
      assert.ok(response.headers.get('dpop-nonce'));
      assert.equal(((await response.json()) as { error: string }).error, 'use_dpop_nonce');

      const DPoP = oauth.DPoP(nonceTenant.service.client, await oauth.generateKeyPair('ES256'));
      const request = () =>
        oauth.clientCredentialsGrantRequest(
          nonceTenant.as,
          nonceTenant.service.client,
          oauth.ClientSecretBasic(nonceTenant.service.secret),
          new URLSearchParams(),
          { ...insecure, DPoP },
        );
      let tokens: oauth.TokenEndpointResponse;
      try {
        tokens = await oauth.processClientCredentialsResponse(nonceTenant.as, nonceTenant.service.client, await request());
        assert.fail('the first request has no nonce');
      } catch (error) {
        assert.ok(oauth.isDPoPNonceError(error));
        tokens = await oauth.processClientCredentialsResponse(nonceTenant.as, nonceTenant.service.client, await request());
      }
      assert.equal(tokens.token_type, 'dpop');
    });

    it('userinfo asks for the nonce with a 401 DPoP challenge and the DPoP-Nonce header, then answers', async () => {
      const DPoP = oauth.DPoP(nonceTenant.spa.client, await oauth.generateKeyPair('ES256'));
      // Any token request teaches the handle the tenant's nonce; this one is refused before the grant is looked at.
      const primer = await oauth.refreshTokenGrantRequest(nonceTenant.as, nonceTenant.spa.client, oauth.None(), 'unknown', {
        ...insecure,
        DPoP,
      });
      assert.equal(((await primer.json()) as { error: string }).error, 'use_dpop_nonce');
      const tokens = await oauth.processAuthorizationCodeResponse(
        nonceTenant.as,
        nonceTenant.spa.client,
        await codeFlow(null, DPoP, nonceTenant),
        {
          requireIdToken: true,
        },
      );
      assert.equal(tokens.token_type, 'dpop');

      const key = await proofKey();
      const withoutNonce = await fetch(`${nonceTenant.issuer}/userinfo`, {
        headers: {
          authorization: `DPoP ${tokens.access_token}`,
          dpop: await handmadeProof(key, { htm: 'GET', htu: `${nonceTenant.issuer}/userinfo`, ath: createHashB64(tokens.access_token) }),
        },
      });
      assert.equal(withoutNonce.status, 401);
      assert.ok(withoutNonce.headers.get('dpop-nonce'));
      assert.match(withoutNonce.headers.get('www-authenticate') ?? '', /^DPoP .*error="use_dpop_nonce"/);

      const sub = decodeJwt(tokens.access_token).sub ?? '';
      const userinfo = await oauth.userInfoRequest(nonceTenant.as, nonceTenant.spa.client, tokens.access_token, { ...insecure, DPoP });
      assert.equal((await oauth.processUserInfoResponse(nonceTenant.as, nonceTenant.spa.client, sub, userinfo)).sub, sub);
    });
  });
});

function createHashB64(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
