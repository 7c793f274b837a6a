import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { readForm, startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { authorizeUrl, createCodeFlowFixture, PASSWORD, REDIRECT_URI, signIn, type CodeFlowFixture } from './code-flow.fixture.js';

/** One test per refusal: the attack is tried, refused with the standard error, and changes nothing. */
describe('authorization code flow refusals', () => {
  let server: RunningAuthorizationServer;
  let fixture: CodeFlowFixture;
  let other: CodeFlowFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createCodeFlowFixture(server);
    other = await createCodeFlowFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  const challenge = () => oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier());

  /** A refused /authorize that goes back to the client: error, state and iss on the registered redirect URI. */
  async function redirectedError(url: string): Promise<URLSearchParams> {
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('state'), 'st-1');
    assert.equal(location.searchParams.get('iss'), fixture.issuer);
    assert.equal(location.searchParams.get('code'), null);
    assert.equal(location.searchParams.get('access_token'), null);
    return location.searchParams;
  }

  /** A refused /authorize that must not redirect: an HTML error page. */
  async function errorPage(url: string): Promise<string> {
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    return response.text();
  }

  async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${fixture.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  }

  /** A code for the public client, with its verifier. */
  async function obtainCode(browser = new TestBrowser()): Promise<{ code: string; verifier: string }> {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = authorizeUrl(fixture, {
      clientId: fixture.spa.client.client_id,
      state: 'st-1',
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    });
    const { landedAt } = await signIn(browser, server.origin, url);
    const code = new URL(landedAt).searchParams.get('code');
    assert.ok(code, `no code at ${landedAt}`);
    return { code, verifier };
  }

  describe('/authorize', () => {
    it('missing PKCE is invalid_request', async () => {
      const params = await redirectedError(
        authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: null }),
      );
      assert.equal(params.get('error'), 'invalid_request');
    });

    it('code_challenge_method=plain is invalid_request', async () => {
      const url = new URL(
        authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() }),
      );
      url.searchParams.set('code_challenge_method', 'plain');
      assert.equal((await redirectedError(url.toString())).get('error'), 'invalid_request');
    });

    for (const responseType of ['token', 'id_token', 'code token', 'code id_token']) {
      it(`response_type=${responseType} is unsupported_response_type and issues nothing`, async () => {
        const url = new URL(
          authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() }),
        );
        url.searchParams.set('response_type', responseType);
        assert.equal((await redirectedError(url.toString())).get('error'), 'unsupported_response_type');
      });
    }

    it('an unknown resource is invalid_target', async () => {
      const url = authorizeUrl(fixture, {
        clientId: fixture.spa.client.client_id,
        state: 'st-1',
        codeChallenge: await challenge(),
        resource: 'https://unknown.example.test/',
      });
      assert.equal((await redirectedError(url)).get('error'), 'invalid_target');
    });

    it('prompt=none without a session is login_required', async () => {
      const url = authorizeUrl(fixture, {
        clientId: fixture.spa.client.client_id,
        state: 'st-1',
        codeChallenge: await challenge(),
        extra: { prompt: 'none' },
      });
      assert.equal((await redirectedError(url)).get('error'), 'login_required');
    });

    it('a repeated parameter is refused before anything in the request is trusted: an error page', async () => {
      const url = `${authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() })}&redirect_uri=https://evil.example.test/cb`;
      assert.match(await errorPage(url), /repeated/);
    });

    for (const variant of [
      'https://client.example.test/callback/',
      'https://client.example.test/other',
      'http://client.example.test/callback',
      'https://client.example.test:8443/callback',
      'https://client.example.test/callback?x=1',
      'https://evil.example.test/callback',
    ]) {
      it(`an unregistered redirect URI variant (${variant}) gets an error page, never a redirect`, async () => {
        const url = new URL(
          authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() }),
        );
        url.searchParams.set('redirect_uri', variant);
        const html = await errorPage(url.toString());
        assert.doesNotMatch(html, /evil\.example/);
      });
    }

    it('an unknown client_id gets an error page', async () => {
      await errorPage(authorizeUrl(fixture, { clientId: 'no-such-client', state: 'st-1', codeChallenge: await challenge() }));
    });

    it("another tenant's client is unknown here", async () => {
      await errorPage(authorizeUrl(fixture, { clientId: other.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() }));
    });
  });

  describe('login and consent', () => {
    it('a wrong password and an unknown user get the same generic message', async () => {
      const url = async () =>
        authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() });
      const wrong = await signIn(new TestBrowser(), server.origin, await url(), { username: 'alice', password: 'not the password!' });
      const unknown = await signIn(new TestBrowser(), server.origin, await url(), { username: 'mallory', password: PASSWORD });
      const messages = [wrong, unknown].map((attempt) => {
        assert.ok(attempt.landedAt.startsWith(server.origin), 'no redirect to the client');
        return attempt.pages
          .at(-1)
          ?.match(/role="alert"[^>]*>([^<]*)</)?.[1]
          ?.trim();
      });
      assert.equal(messages[0], 'Incorrect username or password.');
      assert.equal(messages[1], messages[0], 'the same message for an unknown user');
    });

    it('the login page carries the strict headers and the autocomplete fields', async () => {
      const browser = new TestBrowser();
      const start = await browser.follow(
        await browser.get(
          authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() }),
        ),
        server.origin,
      );
      const csp = start.response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /'nonce-/);
      assert.doesNotMatch(csp, /form-action/);
      assert.equal(start.response.headers.get('x-frame-options'), 'DENY');
      assert.equal(start.response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(start.response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(start.response.headers.get('cache-control'), 'no-store');
      const html = await start.response.text();
      assert.match(html, /autocomplete="username"/);
      assert.match(html, /autocomplete="current-password"/);
    });

    it('a login form posted from another browser (no binding cookie) is refused', async () => {
      const browser = new TestBrowser();
      const start = await browser.follow(
        await browser.get(
          authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 'st-1', codeChallenge: await challenge() }),
        ),
        server.origin,
      );
      const html = await start.response.text();
      const action = new URL(html.match(/action="([^"]*)"/)?.[1] ?? '', start.url).toString();
      const csrf = html.match(/name="csrf" value="([^"]*)"/)?.[1] ?? '';
      const attacker = new TestBrowser();
      const response = await attacker.postForm(action, { csrf, username: 'alice', password: PASSWORD });
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('location'), null);
    });

    it('a completed sign-in cannot be replayed to mint another code (even after the session ended)', async () => {
      const browser = new TestBrowser();
      const start = await browser.follow(
        await browser.get(
          authorizeUrl(fixture, { clientId: fixture.web.client.client_id, state: 'st-1', codeChallenge: await challenge() }),
        ),
        server.origin,
      );
      const interactionUrl = start.url;
      const login = readForm(await start.response.text(), start.url);
      const consentPage = await browser.follow(
        await browser.postForm(login.action, { ...login.hidden, username: 'alice', password: PASSWORD }),
        server.origin,
      );
      const consent = readForm(await consentPage.response.text(), consentPage.url);
      const done = await browser.follow(await browser.postForm(consent.action, { ...consent.hidden, decision: 'allow' }), server.origin);
      assert.ok(new URL(done.url).searchParams.get('code'), 'the first pass issues a code');

      const again = await browser.get(interactionUrl);
      assert.doesNotMatch(await again.text(), /name="decision"/, 'no consent form on a finished interaction');
      const replay = await browser.postForm(consent.action, { ...consent.hidden, decision: 'allow' });
      assert.equal(replay.headers.get('location'), null, 'no second code');
      assert.ok(replay.status >= 400);
    });

    it('Deny at consent is access_denied on the redirect', async () => {
      const url = authorizeUrl(fixture, {
        clientId: fixture.web.client.client_id,
        state: 'st-1',
        codeChallenge: await challenge(),
        extra: { prompt: 'consent' },
      });
      const { landedAt } = await signIn(new TestBrowser(), server.origin, url, undefined, 'deny');
      const params = new URL(landedAt).searchParams;
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), 'st-1');
      assert.equal(params.get('iss'), fixture.issuer);
    });
  });

  describe('/token', () => {
    it('a wrong code_verifier is invalid_grant, and the code is spent', async () => {
      const { code, verifier } = await obtainCode();
      const wrong = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: oauth.generateRandomCodeVerifier(),
        client_id: fixture.spa.client.client_id,
      });
      assert.equal(wrong.status, 400);
      assert.deepEqual(Object.keys((await wrong.json()) as object).sort(), ['error', 'error_description']);
      const retry = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: fixture.spa.client.client_id,
      });
      assert.equal(((await retry.json()) as { error: string }).error, 'invalid_grant');
    });

    it('a replayed code is invalid_grant and revokes the tokens of the first redemption', async () => {
      const { code, verifier } = await obtainCode();
      const form = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: fixture.spa.client.client_id,
      };
      const first = await tokenRequest(form);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      const { access_token: accessToken } = (await first.json()) as { access_token: string };
      assert.equal((await fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status, 200);

      const replay = await tokenRequest(form);
      assert.equal(replay.status, 400);
      assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
      const after = await fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(after.status, 401);
      assert.match(after.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    });

    it('two racing redemptions of one code: exactly one succeeds', async () => {
      const { code, verifier } = await obtainCode();
      const form = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: fixture.spa.client.client_id,
      };
      const responses = await Promise.all([tokenRequest(form), tokenRequest(form), tokenRequest(form)]);
      assert.deepEqual(responses.map((r) => r.status).sort(), [200, 400, 400]);
      // The losers are replays (RFC 6749 §4.1.2): the winner's tokens are revoked too.
      const winner = responses.find((r) => r.status === 200);
      const { access_token: accessToken } = (await winner?.json()) as { access_token: string };
      const userinfo = await fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(userinfo.status, 401);
    });

    it('grant_type=password and unknown grants are unsupported_grant_type', async () => {
      for (const grantType of ['password', 'urn:example:magic']) {
        const response = await tokenRequest({
          grant_type: grantType,
          username: 'alice',
          password: PASSWORD,
          client_id: fixture.spa.client.client_id,
        });
        assert.equal(response.status, 400);
        assert.equal(((await response.json()) as { error: string }).error, 'unsupported_grant_type');
      }
    });

    it('a wrong client secret is 401 invalid_client with a Basic challenge', async () => {
      const { code, verifier } = await obtainCode();
      const basic = Buffer.from(`${fixture.web.client.client_id}:wrong-secret`).toString('base64');
      const response = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
        { authorization: `Basic ${basic}` },
      );
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    });

    it('client_secret_post against a client_secret_basic registration says which method it is registered for, and is audited', async () => {
      const response = await tokenRequest({
        grant_type: 'authorization_code',
        code: 'x',
        code_verifier: oauth.generateRandomCodeVerifier(),
        client_id: fixture.web.client.client_id,
        client_secret: fixture.web.secret,
      });
      assert.equal(response.status, 401);
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'invalid_client');
      assert.match(body.error_description, /registered for token_endpoint_auth_method client_secret_basic, not client_secret_post/);
      assert.ok(!body.error_description.includes(fixture.web.secret), 'never the secret');
      const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(
        (await server.admin.tenants.get(fixture.tenant)).id,
        1000,
      );
      const failed = events.filter((event) => event.type === 'token.failed' && event.errorCode === 'invalid_client');
      assert.ok(
        failed.some((event) => event.details?.['claimed_client_id'] === fixture.web.client.client_id && event.clientId === undefined),
        'refused before a client is known: the claimed id, unverified, in details',
      );
      assert.ok(!JSON.stringify(failed).includes(fixture.web.secret));
    });

    it('a confidential client cannot authenticate as public (none)', async () => {
      const response = await tokenRequest({
        grant_type: 'authorization_code',
        code: 'x',
        code_verifier: oauth.generateRandomCodeVerifier(),
        client_id: fixture.web.client.client_id,
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    });

    it("another tenant's client is invalid_client here, and a code from another client is invalid_grant", async () => {
      const basic = Buffer.from(`${other.web.client.client_id}:${other.web.secret}`).toString('base64');
      const cross = await tokenRequest(
        { grant_type: 'authorization_code', code: 'x', code_verifier: oauth.generateRandomCodeVerifier() },
        { authorization: `Basic ${basic}` },
      );
      assert.equal(cross.status, 401);

      const { code, verifier } = await obtainCode();
      const own = Buffer.from(`${fixture.web.client.client_id}:${fixture.web.secret}`).toString('base64');
      const stolen = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
        { authorization: `Basic ${own}` },
      );
      assert.equal(((await stolen.json()) as { error: string }).error, 'invalid_grant');
    });

    it('a NUL byte in a parameter is invalid_request, never a 500', async () => {
      const response = await tokenRequest({
        grant_type: 'authorization_code',
        code: 'x',
        code_verifier: oauth.generateRandomCodeVerifier(),
        client_id: 'abc\u0000def',
      });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    });

    it('malformed bodies are a JSON 400, never a 500', async () => {
      const response = await fetch(`${fixture.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"grant_type":',
      });
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
      assert.ok(((await response.json()) as { error?: string }).error);
    });
  });

  describe('/userinfo', () => {
    it('no token, a garbage token and a token from another tenant are 401 invalid_token', async () => {
      assert.equal((await fetch(`${fixture.issuer}/userinfo`)).status, 401);
      assert.equal((await fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: 'Bearer not.a.jwt' } })).status, 401);
      const verifier = oauth.generateRandomCodeVerifier();
      const url = authorizeUrl(other, {
        clientId: other.spa.client.client_id,
        state: 's',
        codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
      });
      const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
      const code = new URL(landedAt).searchParams.get('code') ?? '';
      const tokenResponse = await fetch(`${other.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: verifier,
          client_id: other.spa.client.client_id,
        }),
      });
      const { access_token: foreign } = (await tokenResponse.json()) as { access_token: string };
      assert.equal((await fetch(`${other.issuer}/userinfo`, { headers: { authorization: `Bearer ${foreign}` } })).status, 200);
      assert.equal((await fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: `Bearer ${foreign}` } })).status, 401);
    });
  });
});
