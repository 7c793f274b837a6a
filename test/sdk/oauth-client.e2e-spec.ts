import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { DpopKey, OAuthClient, OAuthClientError, type PendingAuthorization } from '@gatehouse/oauth-client';
import { readForm, startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://spa.example.test/callback';

/**
 * Issue 16: Gatehouse's own client library against the real server, PostgreSQL and Redis: a tenant
 * that requires PAR and DPoP nonces, so the library must push, bind and retry on its own.
 */
describe('@gatehouse/oauth-client against Gatehouse', { skip: !process.env['DATABASE_URL'] && 'needs DATABASE_URL' }, () => {
  let server: RunningAuthorizationServer;
  const slug = uniqueSlug('sdkc');
  let spaClientId: string;
  let service: { clientId: string; secret: string };

  before(async () => {
    server = await startAuthorizationServer();
    const { admin } = server;
    await admin.tenants.create(slug, 'SDK Corp');
    await admin.tenants.update(slug, await admin.tenants.get(slug), {
      dpopPolicy: { enabled: true, requireNonce: true },
      pushedAuthorizationRequests: 'required',
    });
    await admin.users.create({ tenant: slug, username: 'alice', email: 'alice@example.com', password: PASSWORD });
    spaClientId = (
      await admin.clients.create({
        tenant: slug,
        name: 'SPA',
        public: true,
        redirectUris: [REDIRECT_URI],
        grantTypes: ['authorization_code', 'refresh_token'],
        scope: 'openid profile email offline_access',
      })
    ).client.clientId;
    const created = await admin.clients.create({ tenant: slug, name: 'Service', grantTypes: ['client_credentials'] });
    service = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
  });
  after(async () => server?.close());

  /** Alice signs in and allows, in a browser, from the URL the library made; the redirect back is returned. */
  async function signIn(pending: PendingAuthorization): Promise<string> {
    const browser = new TestBrowser();
    const started = await browser.follow(await browser.get(pending.url), server.origin);
    const login = readForm(await started.response.text(), started.url);
    const signedIn = await browser.follow(
      await browser.postForm(login.action, { ...login.hidden, username: 'alice', password: PASSWORD }),
      server.origin,
    );
    if (signedIn.url.startsWith(REDIRECT_URI)) return signedIn.url; // consent given before
    const consent = readForm(await signedIn.response.text(), signedIn.url);
    const done = await browser.follow(await browser.postForm(consent.action, { ...consent.hidden, decision: 'allow' }), server.origin);
    assert.ok(done.url.startsWith(REDIRECT_URI), done.url);
    return done.url;
  }

  it('code flow: pushed on its own, DPoP-bound with the server nonce, ID token validated, refresh rotated, userinfo called', async () => {
    const key = await DpopKey.generate();
    const client = new OAuthClient({ issuer: server.issuer(slug), clientId: spaClientId, redirectUri: REDIRECT_URI, dpop: key });
    const pending = await client.authorizationUrl({ scope: 'openid profile offline_access' });
    assert.ok(new URL(pending.url).searchParams.get('request_uri')?.startsWith('urn:ietf:params:oauth:request_uri:'), 'PAR was used');

    const tokens = await client.handleCallback(await signIn(pending), pending);
    assert.equal(tokens.tokenType, 'DPoP');
    assert.deepEqual(decodeJwt(tokens.accessToken)['cnf'], { jkt: key.thumbprint });
    assert.equal(tokens.claims?.['aud'], spaClientId);
    assert.equal(tokens.claims?.['nonce'], pending.nonce);
    assert.ok(tokens.refreshToken);

    const metadata = await client.metadata();
    const userinfo = await client.fetchWithToken(String(metadata.userinfo_endpoint), tokens);
    assert.equal(userinfo.status, 200, await userinfo.clone().text());
    assert.equal(((await userinfo.json()) as { sub: string }).sub, decodeJwt(tokens.accessToken)['sub']);

    const refreshed = await client.refresh(tokens.refreshToken);
    assert.ok(refreshed.refreshToken && refreshed.refreshToken !== tokens.refreshToken, 'the refresh token rotated');
    await assert.rejects(
      client.refresh(tokens.refreshToken),
      (error: unknown) => error instanceof OAuthClientError && error.error === 'invalid_grant',
    );
  });

  it('a callback replayed with another state, or claiming another issuer, is refused before any code exchange', async () => {
    const client = new OAuthClient({
      issuer: server.issuer(slug),
      clientId: spaClientId,
      redirectUri: REDIRECT_URI,
      dpop: await DpopKey.generate(),
    });
    const pending = await client.authorizationUrl({ scope: 'openid' });
    const callback = new URL(await signIn(pending));
    const forgedState = new URL(callback);
    forgedState.searchParams.set('state', 'attacker');
    await assert.rejects(client.handleCallback(forgedState, pending), { error: 'state_mismatch' });
    const mixedUp = new URL(callback);
    mixedUp.searchParams.set('iss', server.issuer('another'));
    await assert.rejects(client.handleCallback(mixedUp, pending), { error: 'issuer_mismatch' });
    // The untouched callback still works: the refusals above spent nothing.
    const tokens = await client.handleCallback(callback, pending);
    assert.ok(tokens.accessToken);
  });

  it('client credentials with client_secret_basic; a wrong secret is invalid_client', async () => {
    const client = new OAuthClient({
      issuer: server.issuer(slug),
      clientId: service.clientId,
      authentication: { method: 'client_secret_basic', clientSecret: service.secret },
    });
    const tokens = await client.clientCredentials();
    assert.equal(tokens.tokenType, 'Bearer');
    assert.equal(decodeJwt(tokens.accessToken)['client_id'], service.clientId);
    const wrong = new OAuthClient({
      issuer: server.issuer(slug),
      clientId: service.clientId,
      authentication: { method: 'client_secret_post', clientSecret: 'not the secret' },
    });
    await assert.rejects(
      wrong.clientCredentials(),
      (error: unknown) => error instanceof OAuthClientError && error.error === 'invalid_client' && error.status === 401,
    );
  });
});
