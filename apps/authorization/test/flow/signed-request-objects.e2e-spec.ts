import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base64url, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { REDIRECT_URI, signIn } from './code-flow.fixture.js';
import {
  authorizationParams,
  authorizeWith,
  createPushedRequestsFixture,
  insecure,
  type PushedRequestsFixture,
} from './pushed-requests.fixture.js';

/** RFC 9101: signed request objects by value at /authorize and inside a pushed request; each forgery refused. */
describe('signed request objects (RFC 9101)', () => {
  let server: RunningAuthorizationServer;
  let fixture: PushedRequestsFixture;
  let disabled: PushedRequestsFixture;
  let strangerKey: CryptoKey;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createPushedRequestsFixture(server, { par: 'enabled', jar: 'enabled' });
    disabled = await createPushedRequestsFixture(server, { par: 'enabled', jar: 'disabled' });
    strangerKey = (await generateKeyPair('ES256')).privateKey;
  });
  after(async () => {
    await server?.close();
  });

  const now = () => Math.floor(Date.now() / 1000);

  /** A request object for the web client, with claims overridden (undefined removes one). */
  async function requestObject(
    params: Record<string, string>,
    overrides: Record<string, unknown> = {},
    options: { key?: CryptoKey; typ?: string } = {},
  ): Promise<string> {
    const claims: Record<string, unknown> = {
      ...params,
      client_id: fixture.web.client.client_id,
      iss: fixture.web.client.client_id,
      aud: fixture.issuer,
      iat: now(),
      nbf: now(),
      exp: now() + 60,
      ...overrides,
    };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'request-key', typ: options.typ ?? 'oauth-authz-req+jwt' })
      .sign(options.key ?? fixture.key);
  }

  async function errorPage(url: string): Promise<string> {
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    return response.text();
  }

  async function refusedAtAuthorize(jwt: string, clientId = fixture.web.client.client_id): Promise<void> {
    const page = await errorPage(authorizeWith(fixture, clientId, { request: jwt }));
    assert.match(page, /request object is invalid/, 'invalid_request_object');
  }

  async function refusedAtPar(jwt: string): Promise<void> {
    const response = await oauth.pushedAuthorizationRequest(fixture.as, fixture.web.client, fixture.web.auth, { request: jwt }, insecure);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request_object');
  }

  it('discovery advertises request objects and their algorithms only where the tenant offers them', () => {
    assert.equal(fixture.as.request_parameter_supported, true);
    assert.ok(fixture.as.request_object_signing_alg_values_supported?.includes('ES256'));
    assert.ok(!fixture.as.request_object_signing_alg_values_supported?.some((alg) => alg === 'none' || alg.startsWith('HS')));
    assert.equal(disabled.as.request_parameter_supported, false);
    assert.equal(disabled.as.request_object_signing_alg_values_supported, undefined);
  });

  it("by value: oauth4webapi's request object signs the user in; its parameters override the query's", async () => {
    const { params, verifier, state } = await authorizationParams('signed-state');
    const jwt = await oauth.issueRequestObject(fixture.as, fixture.web.client, params, { key: fixture.key, kid: 'request-key' });
    const url = authorizeWith(fixture, fixture.web.client.client_id, { request: jwt, state: 'query-state', scope: 'openid email' });
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
    assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
    const callback = oauth.validateAuthResponse(fixture.as, fixture.web.client, new URL(landedAt), state);
    const response = await oauth.authorizationCodeGrantRequest(
      fixture.as,
      fixture.web.client,
      fixture.web.auth,
      callback,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(fixture.as, fixture.web.client, response);
    assert.equal(tokens.scope, 'openid profile', "the request object's scope, not the query's");
  });

  it('inside a pushed request: the request object is verified at /par and its parameters used at /authorize', async () => {
    const { params, verifier, state } = await authorizationParams();
    const jwt = await oauth.issueRequestObject(fixture.as, fixture.web.client, params, { key: fixture.key, kid: 'request-key' });
    const pushed = await oauth.processPushedAuthorizationResponse(
      fixture.as,
      fixture.web.client,
      await oauth.pushedAuthorizationRequest(fixture.as, fixture.web.client, fixture.web.auth, { request: jwt }, insecure),
    );
    const url = authorizeWith(fixture, fixture.web.client.client_id, { request_uri: pushed.request_uri });
    const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
    const callback = oauth.validateAuthResponse(fixture.as, fixture.web.client, new URL(landedAt), state);
    const response = await oauth.authorizationCodeGrantRequest(
      fixture.as,
      fixture.web.client,
      fixture.web.auth,
      callback,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    assert.equal(response.status, 200);
  });

  it('a request object signed with a key the client did not register is refused', async () => {
    const { params } = await authorizationParams();
    const forged = await requestObject(params, {}, { key: strangerKey });
    await refusedAtAuthorize(forged);
    await refusedAtPar(forged);
    // A valid signature over other claims: the payload is swapped, the signature kept.
    const [header, , signature] = (await requestObject(params)).split('.');
    const swapped = base64url.encode(
      JSON.stringify({ ...params, iss: fixture.web.client.client_id, aud: fixture.issuer, exp: now() + 60 }),
    );
    await refusedAtAuthorize(`${header}.${swapped}.${signature}`);
  });

  it('alg none is refused', async () => {
    const { params } = await authorizationParams();
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'oauth-authz-req+jwt' }));
    const payload = base64url.encode(
      JSON.stringify({
        ...params,
        client_id: fixture.web.client.client_id,
        iss: fixture.web.client.client_id,
        aud: fixture.issuer,
        exp: now() + 60,
      }),
    );
    await refusedAtAuthorize(`${header}.${payload}.`);
    await refusedAtPar(`${header}.${payload}.`);
  });

  it('a wrong aud is refused', async () => {
    const { params } = await authorizationParams();
    await refusedAtAuthorize(await requestObject(params, { aud: 'https://other-issuer.example.test' }));
    await refusedAtAuthorize(await requestObject(params, { aud: `${fixture.issuer}/token` }));
    await refusedAtAuthorize(await requestObject(params, { aud: undefined }));
    await refusedAtPar(await requestObject(params, { aud: disabled.issuer }));
  });

  it('a wrong iss is refused', async () => {
    const { params } = await authorizationParams();
    await refusedAtAuthorize(await requestObject(params, { iss: fixture.other.client.client_id }));
    await refusedAtAuthorize(await requestObject(params, { iss: undefined }));
    await refusedAtPar(await requestObject(params, { iss: 'someone-else' }));
  });

  it('an expired, not yet valid, exp-less or too long-lived request object is refused', async () => {
    const { params } = await authorizationParams();
    await refusedAtAuthorize(await requestObject(params, { exp: now() - 120, iat: now() - 300, nbf: now() - 300 }));
    await refusedAtAuthorize(await requestObject(params, { nbf: now() + 600 }));
    await refusedAtAuthorize(await requestObject(params, { exp: undefined }));
    await refusedAtAuthorize(await requestObject(params, { exp: now() + 2 * 3600 }));
    await refusedAtPar(await requestObject(params, { exp: now() + 2 * 3600 }));
  });

  it("a request object that does not match the query's client_id is refused", async () => {
    const { params } = await authorizationParams();
    // Signed by the web client, presented as the other client's request.
    await refusedAtAuthorize(await requestObject(params), fixture.other.client.client_id);
    // client_id inside naming another client than iss.
    await refusedAtAuthorize(await requestObject(params, { client_id: fixture.other.client.client_id }));
    // Another JWT type (an access token's) is not a request object.
    await refusedAtAuthorize(await requestObject(params, {}, { typ: 'at+jwt' }));
    // No nesting.
    await refusedAtAuthorize(await requestObject(params, { request_uri: 'urn:ietf:params:oauth:request_uri:x' }));
  });

  it('a client that requires signed request objects is refused a plain /authorize, on its redirect URI', async () => {
    const { params, state } = await authorizationParams();
    const response = await fetch(authorizeWith(fixture, fixture.signedOnly.client.client_id, params), { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), state);
    // A plain pushed request is refused too: the requirement holds at /par.
    const pushed = await oauth.pushedAuthorizationRequest(fixture.as, fixture.signedOnly.client, fixture.signedOnly.auth, params, insecure);
    assert.equal(pushed.status, 400);
  });

  it('where the tenant does not offer request objects, `request` is request_not_supported', async () => {
    const { params, state } = await authorizationParams();
    const jwt = await oauth.issueRequestObject(disabled.as, disabled.web.client, params, { key: disabled.key, kid: 'request-key' });
    const response = await fetch(authorizeWith(disabled, disabled.web.client.client_id, { ...params, request: jwt }), {
      redirect: 'manual',
    });
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'request_not_supported');
    assert.equal(location.searchParams.get('state'), state);
    const pushed = await oauth.pushedAuthorizationRequest(disabled.as, disabled.web.client, disabled.web.auth, { request: jwt }, insecure);
    assert.equal(((await pushed.json()) as { error: string }).error, 'request_not_supported');
  });
});
