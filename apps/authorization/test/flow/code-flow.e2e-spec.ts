import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { API, authorizeUrl, createCodeFlowFixture, REDIRECT_URI, signIn, type CodeFlowFixture } from './code-flow.fixture.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('authorization code flow with PKCE, driven by oauth4webapi', () => {
  let server: RunningAuthorizationServer;
  let fixture: CodeFlowFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createCodeFlowFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  async function fullFlow(options: {
    client: oauth.Client;
    auth: oauth.ClientAuth;
    scope?: string;
    resource?: string;
    browser?: TestBrowser;
  }) {
    const browser = options.browser ?? new TestBrowser();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = authorizeUrl(fixture, {
      clientId: options.client.client_id,
      scope: options.scope,
      resource: options.resource,
      state,
      nonce,
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    });
    const { landedAt, pages } = await signIn(browser, server.origin, url);
    assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
    const callback = oauth.validateAuthResponse(fixture.as, options.client, new URL(landedAt), state);
    const response = await oauth.authorizationCodeGrantRequest(
      fixture.as,
      options.client,
      options.auth,
      callback,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(fixture.as, options.client, response, {
      expectedNonce: nonce,
      requireIdToken: options.scope === undefined || options.scope.includes('openid'),
    });
    return { tokens, pages, browser, landedAt, code: callback.get('code') ?? '' };
  }

  it('discovery is served at both well-known locations with the exact issuer', async () => {
    const viaOidc = await (await fetch(`${fixture.issuer}/.well-known/openid-configuration`)).json();
    const via8414 = await (await fetch(`${server.origin}/.well-known/oauth-authorization-server/t/${fixture.tenant}`)).json();
    assert.deepEqual(viaOidc, via8414);
    const metadata = viaOidc as Record<string, unknown>;
    assert.equal(metadata['issuer'], fixture.issuer);
    assert.deepEqual(metadata['code_challenge_methods_supported'], ['S256']);
    assert.deepEqual(metadata['response_types_supported'], ['code']);
    assert.equal(metadata['authorization_response_iss_parameter_supported'], true);
    assert.ok(!(metadata['grant_types_supported'] as string[]).some((g) => g === 'implicit' || g === 'password'));
    assert.ok((metadata['id_token_signing_alg_values_supported'] as string[]).includes('RS256'));
    assert.ok((metadata['scopes_supported'] as string[]).includes('orders:read'));
  });

  it('the JWKS holds public keys only: the ES256 access-token key and the RS256 key', async () => {
    const response = await fetch(`${fixture.issuer}/jwks`);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(keys.map((k) => k['alg']).sort(), ['ES256', 'RS256']);
    for (const key of keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(member in key, false);
  });

  it('a confidential client completes login, consent, token and userinfo', async () => {
    const { tokens, pages } = await fullFlow({ client: fixture.web.client, auth: oauth.ClientSecretBasic(fixture.web.secret) });
    assert.equal(pages.length, 2, 'a login page, then a consent page');
    assert.match(pages[1] ?? '', /Web App/);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt');
    const access = decodeJwt(tokens.access_token);
    assert.equal(access.iss, fixture.issuer);
    assert.equal(access.aud, fixture.issuer, 'without resource the token is for userinfo');
    assert.equal(access['client_id'], fixture.web.client.client_id);
    assert.equal(access['scope'], 'openid profile email');
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    assert.ok(claims);
    assert.equal(decodeProtectedHeader(tokens.id_token ?? '').alg, 'RS256');
    assert.equal(typeof claims['at_hash'], 'string');

    const userinfo = await oauth.userInfoRequest(fixture.as, fixture.web.client, tokens.access_token, insecure);
    const profile = await oauth.processUserInfoResponse(fixture.as, fixture.web.client, claims.sub, userinfo);
    assert.equal(profile['preferred_username'], 'alice');
    assert.equal(profile['email'], 'alice@example.com');
  });

  it('a public client authenticates with none; SSO and remembered consent skip both pages the second time', async () => {
    const first = await fullFlow({ client: fixture.spa.client, auth: oauth.None() });
    assert.equal(first.pages.length, 2);
    const second = await fullFlow({ client: fixture.spa.client, auth: oauth.None(), browser: first.browser });
    assert.equal(second.pages.length, 0, 'no login page and no consent page');
    assert.equal(oauth.getValidatedIdTokenClaims(second.tokens)?.sub, oauth.getValidatedIdTokenClaims(first.tokens)?.sub);
  });

  it('a first-party client skips consent', async () => {
    const { pages } = await fullFlow({ client: fixture.firstParty.client, auth: oauth.ClientSecretBasic(fixture.firstParty.secret) });
    assert.equal(pages.length, 1, 'only the login page');
  });

  it('resource selects the API: aud is its identifier and scopes are limited to it; such a token cannot read userinfo', async () => {
    const { tokens } = await fullFlow({
      client: fixture.web.client,
      auth: oauth.ClientSecretBasic(fixture.web.secret),
      scope: 'openid orders:read orders:write',
      resource: API,
    });
    const access = decodeJwt(tokens.access_token);
    assert.equal(access.aud, API);
    assert.equal(access['scope'], 'openid orders:read', 'orders:write is not allowed for this client');
    const userinfo = await fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 401);
  });

  it('every step is in the audit outbox', async () => {
    const tenant = await server.infrastructure.persistence.repositories.tenants.findBySlug(fixture.tenant);
    assert.ok(tenant);
    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(tenant.id, 1000);
    const types = new Set(events.map((e) => e.type));
    for (const type of ['login.succeeded', 'consent.granted', 'authorization.requested', 'token.issued'])
      assert.ok(types.has(type as never), `missing ${type}`);
    const issued = events.find((e) => e.type === 'token.issued');
    assert.equal(issued?.ip, '127.0.0.1');
    assert.ok(issued?.clientId);
  });
});
