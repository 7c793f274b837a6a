import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { basic, Platform, PASSWORD } from './items-1-6-10-14.fixture.js';

const TENANT = 'logout-grants';
const REDIRECT_URI = 'https://client.example.test/callback';

/**
 * Issue 10 item 14 (part): logout ends the session's refresh tokens unless they were granted
 * offline_access (OIDC Core §11: offline access is meant to outlive the session).
 */
describe('security item 14: logout ends the session grants except offline_access ones', { skip: !process.env['DATABASE_URL'] }, () => {
  let platform: Platform;
  let web: { clientId: string; secret: string };
  before(async () => {
    platform = await Platform.start();
    const { services } = platform;
    await services.tenants.create(TENANT, 'Logout Corp');
    // Refresh tokens also without offline_access, so a session-bound grant exists to end.
    await platform.infrastructure.database.dataSource.query(`UPDATE tenants SET refresh_without_offline_access = true WHERE slug = $1`, [
      TENANT,
    ]);
    const created = await services.clients.create({
      tenant: TENANT,
      name: 'Web App',
      redirectUris: [REDIRECT_URI],
      scope: 'openid profile offline_access',
      firstParty: true,
      rotateRefreshTokens: false,
    });
    web = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
  });
  after(async () => {
    await platform?.close();
  });

  const signIn = async (username: string, scope: string) => {
    await platform.services.users.create({ tenant: TENANT, username, password: PASSWORD });
    const session = await platform.signIn({
      tenant: TENANT,
      clientId: web.clientId,
      secret: web.secret,
      redirectUri: REDIRECT_URI,
      username,
      scope,
    });
    assert.ok(session.tokens.refresh_token, 'a refresh token');
    assert.equal(typeof decodeJwt(session.tokens.access_token)['grant_id'], 'string');
    return session;
  };
  const refresh = (token: string) =>
    platform.post(
      `${platform.issuer(TENANT)}/token`,
      { grant_type: 'refresh_token', refresh_token: token },
      basic(web.clientId, web.secret),
    );
  const introspect = (token: string) => platform.post(`${platform.issuer(TENANT)}/introspect`, { token }, basic(web.clientId, web.secret));

  it('a grant without offline_access ends at logout: refresh is invalid_grant, its access token inactive', async () => {
    const session = await signIn('online', 'openid profile');
    assert.equal((await refresh(session.tokens.refresh_token ?? '')).status, 200, 'refresh works before');
    await platform.logout(TENANT, session);
    assert.equal((await refresh(session.tokens.refresh_token ?? '')).body['error'], 'invalid_grant');
    assert.deepEqual((await introspect(session.tokens.access_token)).body, { active: false });
    assert.deepEqual((await introspect(session.tokens.refresh_token ?? '')).body, { active: false });
  });

  it('a grant with offline_access outlives logout: refresh still works and its access token stays active', async () => {
    const session = await signIn('offline', 'openid profile offline_access');
    assert.equal(decodeJwt(session.tokens.access_token)['sid'], undefined, 'not bound to the session (only admin API tokens are)');
    await platform.logout(TENANT, session);
    assert.equal((await introspect(session.tokens.access_token)).body['active'], true);
    const refreshed = await refresh(session.tokens.refresh_token ?? '');
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal((await introspect(String(refreshed.body['access_token']))).body['active'], true);
  });
});
