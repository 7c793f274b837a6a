import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { API, authorizeUrl, REDIRECT_URI, signIn } from '../flow/code-flow.fixture.js';
import { basic, createLifecycleFixture, post, type LifecycleFixture } from './lifecycle.fixture.js';

describe('admin: revoke all sessions and grants of a user', () => {
  let server: RunningAuthorizationServer;
  let fixture: LifecycleFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createLifecycleFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  it('ends the SSO session, revokes the grant and deactivates its access tokens', async () => {
    const browser = new TestBrowser();
    const verifier = oauth.generateRandomCodeVerifier();
    const clientId = fixture.spa.client.client_id;
    const url = async (v: string) =>
      authorizeUrl(fixture, {
        clientId,
        // For the Orders API, whose tokens the introspector serves (RFC 7662 §4): one of its scopes names it.
        scope: 'openid offline_access orders:read',
        resource: API,
        state: 's',
        codeChallenge: await oauth.calculatePKCECodeChallenge(v),
      });
    const { landedAt } = await signIn(browser, server.origin, await url(verifier));
    const code = new URL(landedAt).searchParams.get('code') ?? '';
    const tokens = await post(`${fixture.issuer}/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: clientId,
    });
    assert.equal(tokens.status, 200);
    const introspector = basic(fixture.introspector.clientId, fixture.introspector.secret);
    const introspect = () => post(`${fixture.issuer}/introspect`, { token: String(tokens.body['access_token']) }, introspector);
    assert.equal((await introspect()).body['active'], true);

    const revoked = await server.admin.sessions.revokeAll(fixture.tenant, 'alice', 'test');
    assert.ok(revoked.sessions >= 1);
    assert.ok(revoked.grants >= 1);

    assert.deepEqual((await introspect()).body, { active: false });
    const refreshed = await post(`${fixture.issuer}/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.body['refresh_token']),
      client_id: clientId,
    });
    assert.equal(refreshed.body['error'], 'invalid_grant');

    const again = await browser.follow(await browser.get(await url(oauth.generateRandomCodeVerifier())), server.origin);
    assert.ok(again.url.startsWith(server.origin), 'no silent code: the session is gone');
    assert.match(await again.response.text(), /autocomplete="current-password"/);
  });

  it('refuses an unknown user', async () => {
    await assert.rejects(server.admin.sessions.revokeAll(fixture.tenant, 'nobody', 'test'), /unknown user/);
  });
});
