import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { REDIRECT_URI, signIn } from './code-flow.fixture.js';
import {
  authorizationParams,
  authorizeWith,
  createPushedRequestsFixture,
  insecure,
  type PushedRequestsFixture,
  type RequestClient,
} from './pushed-requests.fixture.js';

/** RFC 9126: the pushed request, the flow it starts, and each misuse of a request_uri refused. */
describe('pushed authorization requests (RFC 9126)', () => {
  let server: RunningAuthorizationServer;
  let fixture: PushedRequestsFixture;
  let required: PushedRequestsFixture;
  let disabled: PushedRequestsFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createPushedRequestsFixture(server, { par: 'enabled', jar: 'disabled' });
    required = await createPushedRequestsFixture(server, { par: 'required', jar: 'disabled', parLifetimeSeconds: 120 });
    disabled = await createPushedRequestsFixture(server, { par: 'disabled', jar: 'disabled' });
  });
  after(async () => {
    await server?.close();
  });

  async function push(on: PushedRequestsFixture, client: RequestClient, params: Record<string, string>) {
    const response = await oauth.pushedAuthorizationRequest(on.as, client.client, client.auth, params, insecure);
    return { response, result: await oauth.processPushedAuthorizationResponse(on.as, client.client, response) };
  }

  async function parPost(form: Record<string, string>, headers: Record<string, string> = {}, on = fixture): Promise<Response> {
    return fetch(`${on.issuer}/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  }

  const basic = (client: RequestClient) => `Basic ${btoa(`${client.client.client_id}:${client.secret}`)}`;

  async function errorPage(url: string): Promise<string> {
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    return response.text();
  }

  async function redirectedError(on: PushedRequestsFixture, url: string, state: string): Promise<URLSearchParams> {
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('state'), state);
    assert.equal(location.searchParams.get('iss'), on.issuer);
    assert.equal(location.searchParams.get('code'), null);
    return location.searchParams;
  }

  it('discovery advertises the endpoint only where the tenant offers it, and whether it is required', () => {
    assert.equal(fixture.as.pushed_authorization_request_endpoint, `${fixture.issuer}/par`);
    assert.equal(fixture.as.require_pushed_authorization_requests, false);
    assert.equal(fixture.as['request_uri_parameter_supported'], false);
    assert.equal(required.as.require_pushed_authorization_requests, true);
    assert.equal(disabled.as.pushed_authorization_request_endpoint, undefined);
    assert.equal(disabled.as.require_pushed_authorization_requests, undefined);
  });

  it('oauth4webapi pushes, authorizes with the request_uri and exchanges the code', async () => {
    const { params, verifier, state } = await authorizationParams();
    const { response, result } = await push(fixture, fixture.web, params);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(result.request_uri, /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    assert.equal(result.expires_in, 60);

    const url = authorizeWith(fixture, fixture.web.client.client_id, { request_uri: result.request_uri });
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
    assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
    const callback = oauth.validateAuthResponse(fixture.as, fixture.web.client, new URL(landedAt), state);
    const tokenResponse = await oauth.authorizationCodeGrantRequest(
      fixture.as,
      fixture.web.client,
      fixture.web.auth,
      callback,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(fixture.as, fixture.web.client, tokenResponse);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.aud, fixture.web.client.client_id);

    // Used once: the same request_uri again is refused, on the error page.
    assert.match(await errorPage(url), /request_uri is invalid/);
  });

  it('a public client pushes with its client_id alone; expires_in is the tenant PAR lifetime', async () => {
    const { params, state } = await authorizationParams();
    const { response, result } = await push(fixture, fixture.spa, params);
    assert.equal(response.status, 201);
    const { landedAt, pages } = await signIn(
      new TestBrowser(),
      server.origin,
      authorizeWith(fixture, fixture.spa.client.client_id, { request_uri: result.request_uri }),
    );
    assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
    assert.equal(pages.length, 2, 'login and consent');
    oauth.validateAuthResponse(fixture.as, fixture.spa.client, new URL(landedAt), state);
    assert.equal((await push(required, required.web, (await authorizationParams()).params)).result.expires_in, 120);
  });

  it('only the pushed parameters count: a redirect_uri or state beside the request_uri is ignored', async () => {
    const { params, state } = await authorizationParams('pushed-state');
    const { result } = await push(fixture, fixture.web, params);
    const url = authorizeWith(fixture, fixture.web.client.client_id, {
      request_uri: result.request_uri,
      redirect_uri: 'https://attacker.example.test/cb',
      state: 'query-state',
    });
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
    assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
    assert.equal(new URL(landedAt).searchParams.get('state'), state);
  });

  it('an expired request_uri is refused', async () => {
    const { params } = await authorizationParams();
    const { result } = await push(fixture, fixture.web, params);
    await server.infrastructure.database.dataSource.query(
      `UPDATE pushed_authorization_requests SET expires_at = now() - interval '1 second' WHERE client_id = $1`,
      [fixture.web.client.client_id],
    );
    assert.match(await errorPage(authorizeWith(fixture, fixture.web.client.client_id, { request_uri: result.request_uri })), /request_uri/);
  });

  it("another client's request_uri is refused, and stays usable by its own client", async () => {
    const { params } = await authorizationParams();
    const { result } = await push(fixture, fixture.web, params);
    await errorPage(authorizeWith(fixture, fixture.other.client.client_id, { request_uri: result.request_uri }));
    const own = await fetch(authorizeWith(fixture, fixture.web.client.client_id, { request_uri: result.request_uri }), {
      redirect: 'manual',
    });
    assert.equal(own.status, 303);
    assert.doesNotMatch(own.headers.get('location') ?? '', /error=|^https:\/\/client/, 'on to the login page');
  });

  it('an unknown request_uri is refused; so is one of another tenant', async () => {
    await errorPage(authorizeWith(fixture, fixture.web.client.client_id, { request_uri: 'urn:ietf:params:oauth:request_uri:nothing' }));
    const { params } = await authorizationParams();
    const { result } = await push(required, required.web, params);
    await errorPage(authorizeWith(fixture, fixture.web.client.client_id, { request_uri: result.request_uri }));
  });

  it('/par refuses a request without client authentication (401 invalid_client)', async () => {
    const { params } = await authorizationParams();
    for (const form of [params, { ...params, client_id: fixture.web.client.client_id }]) {
      const response = await parPost(form);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    }
    const wrongSecret = await parPost(params, { authorization: `Basic ${btoa(`${fixture.web.client.client_id}:nope`)}` });
    assert.equal(wrongSecret.status, 401);
  });

  it('/par refuses a request_uri inside the pushed request (RFC 9126 §2.1)', async () => {
    const { params } = await authorizationParams();
    const response = await parPost(
      { ...params, request_uri: 'urn:ietf:params:oauth:request_uri:x' },
      { authorization: basic(fixture.web) },
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
  });

  it('/par validates as /authorize would: an unregistered redirect_uri, no PKCE, an unknown scope', async () => {
    const { params } = await authorizationParams();
    const cases: [Record<string, string>, string][] = [
      [{ ...params, redirect_uri: 'https://attacker.example.test/cb' }, 'invalid_request'],
      [{ ...params, code_challenge: '' }, 'invalid_request'],
      [{ ...params, scope: 'nothing' }, 'invalid_scope'],
      [{ ...params, response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [form, error] of cases) {
      const response = await parPost(form, { authorization: basic(fixture.web) });
      assert.equal(response.status, 400, error);
      assert.equal(((await response.json()) as { error: string }).error, error);
    }
    const stored = await server.infrastructure.database.dataSource.query<unknown[]>(
      `SELECT 1 FROM pushed_authorization_requests WHERE params->>'redirect_uri' = 'https://attacker.example.test/cb'`,
    );
    assert.equal(stored.length, 0);
  });

  it("/par counts against the client's token_requests_per_client_per_minute: past it, 429 with Retry-After", async () => {
    const created = await server.admin.clients.create({
      tenant: fixture.tenant,
      name: 'Throttled',
      redirectUris: [REDIRECT_URI],
      scope: 'openid profile',
      rateLimitPolicy: { tokenRequestsPerClientPerMinute: 2 },
    });
    const authorization = `Basic ${btoa(`${created.client.clientId}:${created.clientSecret ?? ''}`)}`;
    const { params } = await authorizationParams();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await parPost(params, { authorization })).status);
    assert.deepEqual(statuses, [201, 201, 429]);
    const refused = await parPost(params, { authorization });
    assert.equal(((await refused.json()) as { error: string }).error, 'temporarily_unavailable');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
  });

  it('a client that requires PAR is refused a plain /authorize, on its redirect URI; pushed, it signs in', async () => {
    const { params, state } = await authorizationParams();
    const plain = authorizeWith(fixture, fixture.pushedOnly.client.client_id, params);
    assert.equal((await redirectedError(fixture, plain, state)).get('error'), 'invalid_request');
    const { result } = await push(fixture, fixture.pushedOnly, params);
    const { landedAt } = await signIn(
      new TestBrowser(),
      server.origin,
      authorizeWith(fixture, fixture.pushedOnly.client.client_id, { request_uri: result.request_uri }),
    );
    assert.ok(landedAt.startsWith(REDIRECT_URI));
    assert.ok(new URL(landedAt).searchParams.get('code'));
  });

  it('a tenant that requires PAR refuses every plain /authorize', async () => {
    const { params, state } = await authorizationParams();
    const plain = authorizeWith(required, required.web.client.client_id, params);
    const error = await redirectedError(required, plain, state);
    assert.equal(error.get('error'), 'invalid_request');
    assert.match(error.get('error_description') ?? '', /pushed/);
  });

  it('where the tenant does not offer PAR, /par refuses and a request_uri stays request_uri_not_supported', async () => {
    const { params, state } = await authorizationParams();
    const response = await parPost(params, { authorization: basic(disabled.web) }, disabled);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    const url = authorizeWith(disabled, disabled.web.client.client_id, { ...params, request_uri: 'urn:ietf:params:oauth:request_uri:x' });
    assert.equal((await redirectedError(disabled, url, state)).get('error'), 'request_uri_not_supported');
  });
});
