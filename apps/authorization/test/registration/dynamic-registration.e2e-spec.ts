import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { authorizeUrl, PASSWORD, REDIRECT_URI, signIn, type CodeFlowFixture } from '../flow/code-flow.fixture.js';

/** RFC 7591 / 7592: register with an initial access token, use the client in a code flow, update it, delete it. */
describe('dynamic client registration', () => {
  let server: RunningAuthorizationServer;
  let tenant: string;
  let issuer: string;
  let initialToken: string;
  before(async () => {
    server = await startAuthorizationServer();
    tenant = uniqueSlug('dcr');
    await server.admin.tenants.create(tenant, 'DCR Corp');
    await server.admin.users.create({ tenant, username: 'alice', password: PASSWORD });
    initialToken = (await server.admin.registrationTokens.create(tenant)).token;
    issuer = server.issuer(tenant);
  });
  after(async () => {
    await server?.close();
  });

  const send = async (method: string, url: string, token: string | null, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  /** An RFC 7592 update by the registrant, with its own client_id as §2.2 requires. */
  const updateRegistered = (registration: { body: Record<string, unknown> }, metadata: Record<string, unknown>) => {
    const clientId = String(registration.body['client_id']);
    return send('PUT', `${issuer}/register/${clientId}`, String(registration.body['registration_access_token']), {
      client_id: clientId,
      ...metadata,
    });
  };

  it('is advertised in discovery', async () => {
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(metadata['registration_endpoint'], `${issuer}/register`);
  });

  it('refuses registration without, or with a wrong, initial access token', async () => {
    assert.equal((await send('POST', `${issuer}/register`, null, { redirect_uris: [REDIRECT_URI] })).status, 401);
    assert.equal((await send('POST', `${issuer}/register`, 'wrong', { redirect_uris: [REDIRECT_URI] })).status, 401);
  });

  it('validates metadata: redirect URIs, response/grant type consistency, jwks_uri', async () => {
    const bad = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: ['http://evil.example.test/cb'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body['error'], 'invalid_redirect_uri');
    const inconsistent = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      response_types: ['token'],
    });
    assert.equal(inconsistent.body['error'], 'invalid_client_metadata');
    const internal = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      backchannel_logout_uri: 'https://127.0.0.1:8080/logout',
    });
    assert.equal(internal.body['error'], 'invalid_client_metadata', 'a back-channel URI on our own network is refused');
    const jwksUri = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://x.example.test/jwks',
    });
    assert.equal(jwksUri.body['error'], 'invalid_client_metadata');
  });

  it('applies the shared client-metadata rules (libs/protocol) with RFC 7591 error codes', async () => {
    const fragment = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: ['https://client.example.test/cb#x'] });
    assert.equal(fragment.body['error'], 'invalid_redirect_uri');
    assert.match(String(fragment.body['error_description']), /redirect_uris\[0\] must not contain a fragment/);
    const webScheme = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: ['com.example.app:/cb'] });
    assert.equal(webScheme.body['error'], 'invalid_redirect_uri', 'a private-use scheme is for native clients');
    const native = await send('POST', `${issuer}/register`, initialToken, {
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['com.example.app:/cb', 'http://127.0.0.1:7000/cb'],
    });
    assert.equal(native.status, 201, JSON.stringify(native.body));
    assert.equal(native.body['client_secret'], undefined);
    const stray = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
    });
    assert.equal(stray.body['error'], 'invalid_client_metadata', 'a JWK Set is only for private_key_jwt');
    const rotation = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      rotate_refresh_tokens: false,
    });
    assert.equal(rotation.status, 201, 'an admin-only member is ignored, as RFC 7591 §2 says of unknown ones');
    const row = await server.infrastructure.persistence.repositories.tenants.findBySlug(tenant);
    assert.ok(row);
    const stored = await server.infrastructure.persistence.repositories.clients.findByClientId(row.id, String(rotation.body['client_id']));
    assert.equal(stored?.rotateRefreshTokens, true, 'a self-registered client cannot turn refresh token rotation off');
  });

  it('RFC 7591 §2 display URIs: returned on register, read and update; §5: one on another host than the redirect URIs is refused', async () => {
    const repos = server.infrastructure.persistence.repositories;
    const row = await repos.tenants.findBySlug(tenant);
    assert.ok(row);
    const clientCount = async () => (await repos.clients.listPage(row.id, null, 1000)).length;
    const before = await clientCount();
    const foreignLogo = await send('POST', `${issuer}/register`, initialToken, {
      client_name: 'Impostor',
      redirect_uris: [REDIRECT_URI],
      logo_uri: 'https://bank.example.test/logo.png',
    });
    assert.equal(foreignLogo.status, 400);
    assert.equal(foreignLogo.body['error'], 'invalid_client_metadata');
    assert.match(String(foreignLogo.body['error_description']), /logo_uri must be on the scheme and host of one of the redirect_uris/);
    const script = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      client_uri: 'javascript:alert(1)',
    });
    assert.equal(script.body['error'], 'invalid_client_metadata');
    assert.equal(await clientCount(), before, 'no client was created');

    const inlineLogo = `data:image/png;base64,${Buffer.from('a tiny logo').toString('base64')}`;
    const inline = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: [REDIRECT_URI], logo_uri: inlineLogo });
    assert.equal(inline.body['error'], 'invalid_client_metadata', 'an inline logo names no host: it could be any brand');
    const logo = 'https://client.example.test/logo.png';
    const display = {
      client_uri: 'https://client.example.test/',
      logo_uri: logo,
      policy_uri: 'https://client.example.test/privacy',
      tos_uri: 'https://client.example.test/terms',
    };
    const registered = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: [REDIRECT_URI], ...display });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const clientId = String(registered.body['client_id']);
    const token = String(registered.body['registration_access_token']);
    for (const [member, value] of Object.entries(display)) assert.equal(registered.body[member], value, member);
    const read = await send('GET', `${issuer}/register/${clientId}`, token);
    for (const [member, value] of Object.entries(display)) assert.equal(read.body[member], value, member);

    const moved = await send('PUT', `${issuer}/register/${clientId}`, token, {
      client_id: clientId,
      redirect_uris: [REDIRECT_URI],
      tos_uri: 'https://elsewhere.example.test/terms',
    });
    assert.equal(moved.body['error'], 'invalid_client_metadata', 'RFC 7592 updates are held to §5 too');
    assert.equal((await repos.clients.findByClientId(row.id, clientId))?.tosUri, display.tos_uri, 'the refusal changed nothing');

    // RFC 7592 §2.2: the update replaces the metadata; members left out are cleared.
    const updated = await send('PUT', `${issuer}/register/${clientId}`, token, {
      client_id: clientId,
      redirect_uris: [REDIRECT_URI],
      client_uri: display.client_uri,
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body['client_uri'], display.client_uri);
    for (const member of ['logo_uri', 'policy_uri', 'tos_uri']) assert.equal(updated.body[member], undefined, member);
    const stored = await repos.clients.findByClientId(row.id, clientId);
    assert.deepEqual([stored?.clientUri, stored?.logoUri, stored?.policyUri, stored?.tosUri], [display.client_uri, null, null, null]);
  });

  it('register -> full code flow -> read -> update -> delete', async () => {
    const registered = await send('POST', `${issuer}/register`, initialToken, {
      client_name: 'Registered App',
      redirect_uris: [REDIRECT_URI],
      scope: 'openid profile',
    });
    assert.equal(registered.status, 201);
    const clientId = String(registered.body['client_id']);
    const secret = String(registered.body['client_secret']);
    const registrationToken = String(registered.body['registration_access_token']);
    assert.equal(registered.body['registration_client_uri'], `${issuer}/register/${clientId}`);

    const as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }),
    );
    const fixture = { tenant, issuer, as } as unknown as CodeFlowFixture;
    const verifier = oauth.generateRandomCodeVerifier();
    const { landedAt } = await signIn(
      new TestBrowser(),
      server.origin,
      authorizeUrl(fixture, {
        clientId,
        scope: 'openid profile',
        state: 's',
        codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
      }),
    );
    const callback = oauth.validateAuthResponse(as, { client_id: clientId }, new URL(landedAt), 's');
    const tokenResponse = await oauth.authorizationCodeGrantRequest(
      as,
      { client_id: clientId },
      oauth.ClientSecretBasic(secret),
      callback,
      REDIRECT_URI,
      verifier,
      { [oauth.allowInsecureRequests]: true },
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, { client_id: clientId }, tokenResponse);
    assert.ok(tokens.access_token);

    const read = await send('GET', `${issuer}/register/${clientId}`, registrationToken);
    assert.equal(read.body['client_name'], 'Registered App');
    assert.equal(read.body['client_secret'], undefined);
    assert.equal(
      (await send('GET', `${issuer}/register/${clientId}`, initialToken)).status,
      401,
      'the initial access token does not manage clients',
    );

    const updated = await send('PUT', `${issuer}/register/${clientId}`, registrationToken, {
      client_id: clientId,
      client_name: 'Renamed App',
      redirect_uris: [REDIRECT_URI, 'https://client.example.test/other'],
      scope: 'openid',
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body['client_name'], 'Renamed App');
    assert.equal((updated.body['redirect_uris'] as string[]).length, 2);

    assert.equal((await send('DELETE', `${issuer}/register/${clientId}`, registrationToken)).status, 204);
    assert.equal((await send('GET', `${issuer}/register/${clientId}`, registrationToken)).status, 401);
    const gone = await fetch(
      authorizeUrl(fixture, { clientId, state: 's', codeChallenge: await oauth.calculatePKCECodeChallenge(verifier) }),
      { redirect: 'manual' },
    );
    assert.equal(gone.status, 400, 'a deleted client is unknown at /authorize');
  });

  it('registers request requirements (RFC 9126 §6, RFC 9101 §10.5): returned on register, cleared by an update that leaves them out', async () => {
    const jwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) };
    const registered = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      jwks: { keys: [jwk] },
      request_object_signing_alg: 'ES256',
      require_signed_request_object: true,
      require_pushed_authorization_requests: true,
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.body['request_object_signing_alg'], 'ES256');
    assert.equal(registered.body['require_signed_request_object'], true);
    assert.equal(registered.body['require_pushed_authorization_requests'], true);
    const clientId = String(registered.body['client_id']);
    const registrationToken = String(registered.body['registration_access_token']);
    const updated = await send('PUT', `${issuer}/register/${clientId}`, registrationToken, {
      client_id: clientId,
      redirect_uris: [REDIRECT_URI],
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body['require_pushed_authorization_requests'], undefined);
    assert.equal(updated.body['request_object_signing_alg'], undefined);
    const refused = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      request_object_signing_alg: 'none',
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body['error'], 'invalid_client_metadata');
  });

  it("registers authorization_details_types (RFC 9396 §10) among the tenant's types; an unknown one is invalid_client_metadata", async () => {
    const current = await server.admin.tenants.get(tenant);
    await server.admin.tenants.update(tenant, current, { authorizationDetailsTypes: { payment_initiation: { type: 'object' } } });
    const registered = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      authorization_details_types: ['payment_initiation'],
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.deepEqual(registered.body['authorization_details_types'], ['payment_initiation']);
    const updated = await updateRegistered(registered, {
      redirect_uris: [REDIRECT_URI],
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body['authorization_details_types'], undefined, 'an update that leaves it out clears it (RFC 7592 §2.2)');
    const refused = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      authorization_details_types: ['loans'],
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body['error'], 'invalid_client_metadata');
    assert.match(String(refused.body['error_description']), /type loans is not registered/);

    // The tenant drops a type a registered client holds: the client's next PUT may still carry it (RFC 7592
    // §2.2 resends all metadata); a client that did not hold it cannot take it up.
    await server.admin.tenants.update(tenant, await server.admin.tenants.get(tenant), {
      authorizationDetailsTypes: { payment_initiation: { type: 'object' }, account_information: { type: 'object' } },
    });
    const holder = await send('POST', `${issuer}/register`, initialToken, {
      redirect_uris: [REDIRECT_URI],
      authorization_details_types: ['account_information'],
    });
    assert.equal(holder.status, 201, JSON.stringify(holder.body));
    await server.admin.tenants.update(tenant, await server.admin.tenants.get(tenant), {
      authorizationDetailsTypes: { payment_initiation: { type: 'object' } },
    });
    const resent = await updateRegistered(holder, {
      redirect_uris: [REDIRECT_URI],
      client_name: 'Renamed',
      authorization_details_types: ['account_information'],
    });
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    assert.deepEqual(resent.body['authorization_details_types'], ['account_information']);
    const takenUp = await updateRegistered(registered, {
      redirect_uris: [REDIRECT_URI],
      authorization_details_types: ['account_information'],
    });
    assert.equal(takenUp.status, 400);
    assert.equal(takenUp.body['error'], 'invalid_client_metadata');
  });

  it('RFC 7592 with If-Match (RFC 9110 §13.1.1): GET answers an ETag; a stale one is 412 for PUT and DELETE and changes nothing', async () => {
    const registered = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: [REDIRECT_URI], client_name: 'First' });
    const clientId = String(registered.body['client_id']);
    const token = String(registered.body['registration_access_token']);
    const url = `${issuer}/register/${clientId}`;
    const call = (method: string, body?: unknown, ifMatch?: string) =>
      fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const tagNow = async () => (await call('GET')).headers.get('etag') ?? '';
    const nameNow = async () => ((await (await call('GET')).json()) as Record<string, unknown>)['client_name'];

    const firstTag = await tagNow();
    assert.match(firstTag, /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(await tagNow(), firstTag, 'the same version, the same tag');

    // An update without If-Match (RFC 7592 clients need not send one) makes a new version.
    const second = await call('PUT', { client_id: clientId, redirect_uris: [REDIRECT_URI], client_name: 'Second' });
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('etag'), null, 'RFC 9110 §9.3.4: the stored representation is not the body sent');
    const secondTag = await tagNow();
    assert.notEqual(secondTag, firstTag);

    for (const stale of [firstTag, '', `W/${secondTag}`]) {
      const refused = await call('PUT', { client_id: clientId, redirect_uris: [REDIRECT_URI], client_name: 'Lost update' }, stale);
      assert.equal(refused.status, 412, `If-Match: ${stale}`);
      assert.equal(((await refused.json()) as Record<string, unknown>)['error'], 'invalid_request');
    }
    assert.equal(await nameNow(), 'Second', 'no stale update wrote anything');
    assert.equal(await tagNow(), secondTag);

    assert.equal(
      (await call('PUT', { client_id: clientId, redirect_uris: [REDIRECT_URI], client_name: 'Third' }, `"other", ${secondTag}`)).status,
      200,
    );
    assert.equal(await nameNow(), 'Third');
    assert.equal((await call('PUT', { client_id: clientId, redirect_uris: [REDIRECT_URI], client_name: 'Any' }, '*')).status, 200);

    // An admin change is a new version too: the registrant's old tag no longer matches.
    const beforeAdmin = await tagNow();
    await server.admin.clients.rotateSecret(tenant, clientId, 0, 'test');
    assert.equal((await call('PUT', { client_id: clientId, redirect_uris: [REDIRECT_URI], client_name: 'Late' }, beforeAdmin)).status, 412);
    assert.equal((await call('DELETE', undefined, beforeAdmin)).status, 412);
    assert.equal((await call('GET')).status, 200, 'a stale DELETE deletes nothing');
    assert.equal((await call('DELETE', undefined, await tagNow())).status, 204);
    assert.equal((await call('GET')).status, 401);
  });

  it("RFC 7592 §2.2: an update carries the client's own client_id, and a client_secret sent with it must be the current one", async () => {
    const registered = await send('POST', `${issuer}/register`, initialToken, { redirect_uris: [REDIRECT_URI], client_name: 'Mine' });
    const clientId = String(registered.body['client_id']);
    const secret = String(registered.body['client_secret']);
    const token = String(registered.body['registration_access_token']);
    const url = `${issuer}/register/${clientId}`;
    const put = (extra: Record<string, unknown>) =>
      send('PUT', url, token, { redirect_uris: [REDIRECT_URI], client_name: 'Changed', ...extra });

    for (const [extra, hint] of [
      [{}, /client_id is required/],
      [{ client_id: 'someone-else' }, /client_id must be/],
      [{ client_id: null }, /client_id/],
      [{ client_id: clientId, client_secret: 'not-the-secret' }, /client_secret/],
      [{ client_id: clientId, client_secret: 42 }, /client_secret/],
    ] as const) {
      const refused = await put(extra);
      assert.equal(refused.status, 400, JSON.stringify(extra));
      assert.equal(refused.body['error'], 'invalid_client_metadata');
      assert.match(String(refused.body['error_description']), hint);
    }
    assert.equal((await send('GET', url, token)).body['client_name'], 'Mine', 'nothing was written');
    const accepted = await put({ client_id: clientId, client_secret: secret });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body['client_name'], 'Changed');
  });

  it('a revoked initial access token no longer registers', async () => {
    const { token, registrationToken } = await server.admin.registrationTokens.create(tenant);
    await server.admin.registrationTokens.revoke(tenant, registrationToken.id);
    assert.equal((await send('POST', `${issuer}/register`, token, { redirect_uris: [REDIRECT_URI] })).status, 401);
  });
});
