import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { basic, Platform, PASSWORD, type SignedIn } from './items-1-6-10-14.fixture.js';

const TENANT = 'bound';
const REDIRECT_URI = 'https://client.example.test/callback';

/**
 * Issue 10 item 6: an access token without a refresh family stayed `active: true` at
 * introspection (and good at userinfo) after logout, sign-out-everywhere or disable.
 * Now it carries `sid` (its session) and stops standing when the session or user does.
 */
describe('security item 6: access tokens die with their session, grant and user', { skip: !process.env['DATABASE_URL'] }, () => {
  let platform: Platform;
  let web: { clientId: string; secret: string };
  before(async () => {
    platform = await Platform.start();
    const { services } = platform;
    await services.tenants.create(TENANT, 'Bound Corp');
    const created = await services.clients.create({
      tenant: TENANT,
      name: 'Web App',
      redirectUris: [REDIRECT_URI],
      scope: 'openid profile offline_access',
      firstParty: true,
    });
    web = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
  });
  after(async () => {
    await platform?.close();
  });

  /** A user signed in for `openid profile` (no offline_access: no refresh family), with token standing shown first. */
  async function signedIn(username: string): Promise<SignedIn> {
    await platform.services.users.create({ tenant: TENANT, username, password: PASSWORD });
    const session = await platform.signIn({
      tenant: TENANT,
      clientId: web.clientId,
      secret: web.secret,
      redirectUri: REDIRECT_URI,
      username,
      scope: 'openid profile',
    });
    assert.equal(session.tokens.refresh_token, undefined, 'no refresh family');
    const claims = decodeJwt(session.tokens.access_token);
    assert.equal(typeof claims['sid'], 'string', 'bound to its session');
    assert.equal(claims['grant_id'], undefined);
    assert.equal((await introspect(session.tokens.access_token)).body['active'], true, 'active before');
    assert.equal(await userinfo(session.tokens.access_token), 200, 'userinfo answers before');
    return session;
  }

  const introspect = (token: string) => platform.post(`${platform.issuer(TENANT)}/introspect`, { token }, basic(web.clientId, web.secret));
  const userinfo = async (token: string) =>
    (await fetch(`${platform.issuer(TENANT)}/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status;

  async function assertDead(token: string): Promise<void> {
    assert.deepEqual((await introspect(token)).body, { active: false });
    assert.equal(await userinfo(token), 401);
  }

  it('after logout at end_session', async () => {
    const session = await signedIn('logs-out');
    await platform.logout(TENANT, session);
    await assertDead(session.tokens.access_token);
  });

  it('after sign-out-everywhere', async () => {
    const session = await signedIn('signed-out');
    await platform.services.sessions.revokeAll(TENANT, 'signed-out', 'test');
    await assertDead(session.tokens.access_token);
  });

  it('after the user is disabled', async () => {
    const session = await signedIn('disabled');
    const user = await platform.services.users.get(TENANT, 'disabled');
    await platform.services.users.update(TENANT, user, { status: 'disabled' }, 'test');
    await assertDead(session.tokens.access_token);
  });

  it("another user's logout leaves a token standing", async () => {
    const kept = await signedIn('stays');
    const other = await signedIn('leaves');
    await platform.logout(TENANT, other);
    assert.equal((await introspect(kept.tokens.access_token)).body['active'], true);
    assert.equal(await userinfo(kept.tokens.access_token), 200);
  });
});
