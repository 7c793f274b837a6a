import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { PASSWORD, REDIRECT_URI, signIn } from '../flow/code-flow.fixture.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The FAPI 2.0 Security Profile as a tenant switch (docs/adr/0020): the whole flow a FAPI 2.0 client
 * makes (private_key_jwt, PAR, PKCE S256, DPoP) succeeds; each request outside the profile is refused
 * with the standard error; discovery says what the tenant requires; a tenant without it is unchanged.
 */
describe('FAPI 2.0 Security Profile (security_profile fapi2)', () => {
  let server: RunningAuthorizationServer;
  let tenant: string;
  let issuer: string;
  let as: oauth.AuthorizationServer;
  let metadata: Record<string, unknown>;
  let fapi: oauth.Client;
  let ecKey: CryptoKey;
  let rsaKey: CryptoKey;
  /** Registered before the switch: outside the profile. */
  let secretClient: { client_id: string; secret: string };
  let publicClient: string;

  before(async () => {
    server = await startAuthorizationServer();
    const { admin } = server;
    tenant = uniqueSlug('fapi');
    await admin.tenants.create(tenant, 'FAPI Bank');
    await admin.users.create({ tenant, username: 'alice', email: 'alice@example.com', password: PASSWORD });
    const base = { tenant, redirectUris: [REDIRECT_URI], scope: 'openid profile offline_access', firstParty: true };
    const secret = await admin.clients.create({ ...base, name: 'Legacy', grantTypes: ['authorization_code', 'client_credentials'] });
    secretClient = { client_id: secret.client.clientId, secret: secret.clientSecret ?? '' };
    publicClient = (await admin.clients.create({ ...base, name: 'SPA', public: true })).client.clientId;

    await admin.tenants.update(tenant, await admin.tenants.get(tenant), {
      securityProfile: 'fapi2',
      rateLimitPolicy: { codeExchangesPerClientIpPerMinute: 10_000, authorizeRequestsPerClientIpPerHour: 100_000 },
    });

    const ec = await generateKeyPair('ES256', { extractable: true });
    const rsa = await generateKeyPair('RS256', { extractable: true });
    ecKey = ec.privateKey;
    rsaKey = rsa.privateKey;
    const jwks = {
      keys: [
        { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' },
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
      ],
    };
    const created = await admin.clients.create({
      ...base,
      name: 'FAPI Client',
      authMethod: 'private_key_jwt',
      jwks,
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    fapi = { client_id: created.client.clientId };

    issuer = server.issuer(tenant);
    const response = await oauth.discoveryRequest(new URL(issuer), insecure);
    metadata = (await response.clone().json()) as Record<string, unknown>;
    as = await oauth.processDiscoveryResponse(new URL(issuer), response);
  });
  after(async () => {
    await server?.close();
  });

  const privateKeyJwt = () => oauth.PrivateKeyJwt({ key: ecKey, kid: 'ec' });

  async function authorizationParams(overrides: Record<string, string | undefined> = {}) {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const params: Record<string, string> = {
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile offline_access',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) delete params[name];
      else params[name] = value;
    }
    return { params, verifier, state };
  }

  /** Pushes as the FAPI client (optionally with a DPoP proof), signs alice in, returns the callback. */
  async function pushAndSignIn(dpop?: oauth.DPoPHandle) {
    const { params, verifier, state } = await authorizationParams();
    const pushed = await oauth.pushedAuthorizationRequest(as, fapi, privateKeyJwt(), params, {
      ...insecure,
      ...(dpop ? { DPoP: dpop } : {}),
    });
    const { request_uri } = await oauth.processPushedAuthorizationResponse(as, fapi, pushed);
    const url = new URL(as.authorization_endpoint ?? '');
    url.search = new URLSearchParams({ client_id: fapi.client_id, request_uri }).toString();
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url.toString());
    return { callback: oauth.validateAuthResponse(as, fapi, new URL(landedAt), state), verifier };
  }

  async function assertion(alg: 'ES256' | 'RS256', key: CryptoKey, kid: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: fapi.client_id,
      sub: fapi.client_id,
      aud: issuer,
      iat: now,
      exp: now + 60,
      jti: randomBytes(16).toString('base64url'),
    })
      .setProtectedHeader({ alg, kid })
      .sign(key);
  }

  async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });
  }

  async function assertError(response: Response, status: number, error: string, description?: RegExp): Promise<void> {
    const body = (await response.json()) as { error: string; error_description?: string };
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.error, error);
    if (description) assert.match(body.error_description ?? '', description);
  }

  const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

  describe('discovery', () => {
    it('advertises only what the profile allows, and that pushed requests are required', () => {
      assert.equal(metadata['security_profile'], 'fapi2');
      assert.equal(metadata['pushed_authorization_request_endpoint'], `${issuer}/par`);
      assert.equal(metadata['require_pushed_authorization_requests'], true);
      assert.deepEqual(metadata['token_endpoint_auth_methods_supported'], ['private_key_jwt']);
      assert.deepEqual(metadata['token_endpoint_auth_signing_alg_values_supported'], ['ES256', 'PS256', 'EdDSA']);
      assert.deepEqual(metadata['dpop_signing_alg_values_supported'], ['ES256', 'PS256', 'EdDSA']);
      assert.deepEqual(metadata['id_token_signing_alg_values_supported'], ['ES256']);
      assert.deepEqual(metadata['code_challenge_methods_supported'], ['S256']);
      assert.deepEqual(metadata['response_types_supported'], ['code']);
      assert.equal(metadata['authorization_response_iss_parameter_supported'], true);
    });
  });

  describe('the FAPI 2.0 flow', () => {
    it('private_key_jwt + PAR + PKCE + DPoP: a DPoP-bound token, an ES256 ID token, iss in the response', async () => {
      const dpop = oauth.DPoP(fapi, await oauth.generateKeyPair('ES256'));
      const { callback, verifier } = await pushAndSignIn(dpop);
      assert.equal(callback.get('iss'), issuer);
      const response = await oauth.authorizationCodeGrantRequest(as, fapi, privateKeyJwt(), callback, REDIRECT_URI, verifier, {
        ...insecure,
        DPoP: dpop,
      });
      const tokens = await oauth.processAuthorizationCodeResponse(as, fapi, response);
      assert.equal(tokens.token_type, 'dpop');
      assert.deepEqual(decodeJwt(tokens.access_token)['cnf'], { jkt: await dpop.calculateThumbprint() });
      assert.equal(decodeProtectedHeader(tokens.id_token ?? '').alg, 'ES256');
      assert.ok(tokens.refresh_token, 'a confidential client gets a refresh token');

      const refreshed = await oauth.refreshTokenGrantRequest(as, fapi, privateKeyJwt(), tokens.refresh_token ?? '', {
        ...insecure,
        DPoP: dpop,
      });
      assert.equal((await oauth.processRefreshTokenResponse(as, fapi, refreshed)).token_type, 'dpop');
    });

    it('client_credentials with DPoP is issued; without a DPoP proof or certificate it is invalid_request', async () => {
      const dpop = oauth.DPoP(fapi, await oauth.generateKeyPair('ES256'));
      const bound = await oauth.clientCredentialsGrantRequest(as, fapi, privateKeyJwt(), new URLSearchParams(), {
        ...insecure,
        DPoP: dpop,
      });
      assert.equal((await oauth.processClientCredentialsResponse(as, fapi, bound)).token_type, 'dpop');

      const unbound = await post('/token', {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion('ES256', ecKey, 'ec'),
      });
      await assertError(unbound, 400, 'invalid_request', /sender-constrained/);
    });

    it('a code redeemed without a DPoP proof is refused with invalid_request', async () => {
      const { callback, verifier } = await pushAndSignIn();
      const response = await post('/token', {
        grant_type: 'authorization_code',
        code: callback.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion('ES256', ecKey, 'ec'),
      });
      await assertError(response, 400, 'invalid_request', /DPoP proof or use a TLS client certificate/);
    });
  });

  describe('refusals', () => {
    it('/authorize without a pushed request: invalid_request on the redirect URI, with state and iss', async () => {
      const { params, state } = await authorizationParams();
      const url = new URL(as.authorization_endpoint ?? '');
      url.search = new URLSearchParams({ client_id: fapi.client_id, ...params }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 303);
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.equal(location.searchParams.get('state'), state);
      assert.equal(location.searchParams.get('iss'), issuer);
      assert.equal(location.searchParams.get('code'), null);
    });

    it('/par without PKCE, with plain PKCE, or without redirect_uri: invalid_request', async () => {
      const cases: [Record<string, string | undefined>, RegExp][] = [
        [{ code_challenge: undefined, code_challenge_method: undefined }, /code_challenge is required/],
        [{ code_challenge_method: 'plain', code_challenge: oauth.generateRandomCodeVerifier() }, /code_challenge_method must be S256/],
        [{ redirect_uri: undefined }, /redirect_uri is required/],
      ];
      for (const [overrides, reason] of cases) {
        const { params } = await authorizationParams(overrides);
        const form = {
          ...params,
          client_id: fapi.client_id,
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await assertion('ES256', ecKey, 'ec'),
        };
        await assertError(await post('/par', form), 400, 'invalid_request', reason);
      }
    });

    it('a client_secret_basic client registered before the switch: invalid_client at /par and /token', async () => {
      const authorization = basic(secretClient.client_id, secretClient.secret);
      const { params } = await authorizationParams();
      await assertError(await post('/par', params, { authorization }), 401, 'invalid_client', /private_key_jwt/);
      await assertError(await post('/token', { grant_type: 'client_credentials' }, { authorization }), 401, 'invalid_client');
    });

    it('a client assertion signed RS256 (a registered key) is invalid_client', async () => {
      const dpop = oauth.DPoP(fapi, await oauth.generateKeyPair('ES256'));
      const form = {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion('RS256', rsaKey, 'rsa'),
      };
      // The same request signed ES256 passes client authentication; RS256 does not.
      const proof = async () => {
        const response = await oauth.clientCredentialsGrantRequest(
          as,
          fapi,
          oauth.PrivateKeyJwt({ key: rsaKey, kid: 'rsa' }),
          new URLSearchParams(),
          {
            ...insecure,
            DPoP: dpop,
          },
        );
        return response;
      };
      await assertError(await proof(), 401, 'invalid_client');
      await assertError(await post('/token', form), 401, 'invalid_client');
    });

    it('a public client is refused: invalid_client at /par', async () => {
      const { params } = await authorizationParams();
      await assertError(await post('/par', { ...params, client_id: publicClient }), 401, 'invalid_client', /private_key_jwt/);
    });

    it('a DPoP proof signed RS256 is invalid_dpop_proof', async () => {
      const dpop = oauth.DPoP(fapi, await oauth.generateKeyPair('RS256'));
      const response = await oauth.clientCredentialsGrantRequest(as, fapi, privateKeyJwt(), new URLSearchParams(), {
        ...insecure,
        DPoP: dpop,
      });
      await assertError(response, 400, 'invalid_dpop_proof');
    });

    it('the admin API refuses clients outside the profile with the field that breaks it', async () => {
      const base = { tenant, name: 'New', redirectUris: [REDIRECT_URI] };
      await assert.rejects(server.admin.clients.create(base), /FAPI 2.0 allows only private_key_jwt/);
      await assert.rejects(server.admin.clients.create({ ...base, public: true }), /FAPI 2.0 allows only private_key_jwt/);
    });

    it('dynamic registration refuses client_secret_basic with invalid_client_metadata', async () => {
      const token = await server.admin.registrationTokens.create(tenant);
      const response = await fetch(`${issuer}/register`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'client_secret_basic' }),
      });
      await assertError(response, 400, 'invalid_client_metadata', /FAPI 2.0/);
    });
  });

  describe('switching the profile off and on', () => {
    it('a tenant without the profile behaves as before; switching off restores the stored settings', async () => {
      const { admin } = server;
      const plain = uniqueSlug('plain');
      await admin.tenants.create(plain, 'Plain');
      const plainMeta = (await (await fetch(`${server.issuer(plain)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(plainMeta['security_profile'], undefined);
      assert.equal(plainMeta['pushed_authorization_request_endpoint'], undefined);
      assert.ok((plainMeta['token_endpoint_auth_methods_supported'] as string[]).includes('client_secret_basic'));
      assert.ok((plainMeta['id_token_signing_alg_values_supported'] as string[]).includes('RS256'));

      const switched = await admin.tenants.update(tenant, await admin.tenants.get(tenant), { securityProfile: 'none' });
      assert.equal(switched.securityProfile, 'none');
      assert.equal(switched.pushedAuthorizationRequests, 'disabled', 'the stored PAR setting was never changed');
      const authorization = basic(secretClient.client_id, secretClient.secret);
      const bearer = await post('/token', { grant_type: 'client_credentials' }, { authorization });
      assert.equal(bearer.status, 200);
      assert.equal(((await bearer.json()) as { token_type: string }).token_type, 'Bearer');

      await admin.tenants.update(tenant, await admin.tenants.get(tenant), { securityProfile: 'fapi2' });
      await assertError(await post('/token', { grant_type: 'client_credentials' }, { authorization }), 401, 'invalid_client');
    });

    it('an RS256 tenant cannot switch to fapi2 alone', async () => {
      const rs = uniqueSlug('rs');
      await server.admin.tenants.create(rs, 'RS', { accessTokenAlg: 'RS256' });
      await assert.rejects(
        server.admin.tenants.update(rs, await server.admin.tenants.get(rs), { securityProfile: 'fapi2' }),
        /fapi2 needs access_token_alg ES256, PS256, EdDSA/,
      );
      await assert.rejects(
        server.admin.tenants.create(uniqueSlug('rs'), 'RS', { accessTokenAlg: 'RS256', securityProfile: 'fapi2' }),
        /fapi2 needs/,
      );
    });
  });
});
