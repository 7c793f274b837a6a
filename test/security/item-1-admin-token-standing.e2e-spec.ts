import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Platform, refusedWithinASecond, PASSWORD, CONSOLE } from './items-1-6-10-14.fixture.js';

/**
 * Issue 10 item 1: the admin API checked only signature, issuer, audience and expiry, so a
 * revoked admin token, a signed-out, disabled or demoted admin kept full rights until expiry.
 * Each case signs a platform admin in through the admin console, shows the token works, does
 * the revocation, and asserts the admin API refuses the same token within a second.
 */
describe('security item 1: the admin API refuses admin tokens that no longer stand', { skip: !process.env['DATABASE_URL'] }, () => {
  let platform: Platform;
  before(async () => {
    platform = await Platform.start();
  });
  after(async () => {
    await platform?.close();
  });

  async function platformAdmin(username: string) {
    await platform.services.users.create({ tenant: 'system', username, password: PASSWORD, roles: ['platform_admin'] });
    const signedIn = await platform.consoleLogin(username);
    assert.equal(await platform.adminStatus('/tenants', signedIn.tokens.access_token), 200, 'accepted before');
    return signedIn;
  }

  const refused = (token: string) => refusedWithinASecond(() => platform.adminStatus('/tenants', token));

  it('an access token revoked at /revoke (RFC 7009) is refused, and cannot create anything', async () => {
    const { tokens } = await platformAdmin('revoked-jti');
    const revoked = await platform.post(`${platform.issuer('system')}/revoke`, { token: tokens.access_token, client_id: CONSOLE });
    assert.equal(revoked.status, 200);
    assert.equal(await refused(tokens.access_token), 401);
    const attempt = await fetch(`${platform.adminBase}/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'made-by-revoked' }),
    });
    assert.equal(attempt.status, 401);
    assert.match(attempt.headers.get('www-authenticate') ?? '', /invalid_token/);
    assert.equal(await platform.infrastructure.persistence.repositories.tenants.findBySlug('made-by-revoked'), null);
  });

  it('an access token whose refresh token family was revoked is refused', async () => {
    const { tokens } = await platformAdmin('revoked-family');
    assert.ok(tokens.refresh_token);
    await platform.post(`${platform.issuer('system')}/revoke`, {
      token: tokens.refresh_token,
      token_type_hint: 'refresh_token',
      client_id: CONSOLE,
    });
    assert.equal(await refused(tokens.access_token), 401);
  });

  it('logout at end_session refuses the token, and its refresh token is spent too (admin grants end with the session)', async () => {
    const signedIn = await platformAdmin('logged-out');
    await platform.logout('system', signedIn);
    assert.equal(await refused(signedIn.tokens.access_token), 401);
    const refreshed = await platform.post(`${platform.issuer('system')}/token`, {
      grant_type: 'refresh_token',
      refresh_token: signedIn.tokens.refresh_token ?? '',
      client_id: CONSOLE,
    });
    assert.equal(refreshed.body['error'], 'invalid_grant');
  });

  const refresh = (refreshToken: string) =>
    platform.post(`${platform.issuer('system')}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CONSOLE });
  const familyRevoked = async (grantId: unknown): Promise<boolean> => {
    const [row] = await platform.infrastructure.database.dataSource.query<{ revoked: boolean }[]>(
      `SELECT revoked_at IS NOT NULL AS revoked FROM refresh_token_families WHERE id = $1`,
      [grantId],
    );
    assert.ok(row, 'the family exists');
    return row.revoked;
  };

  /**
   * Review finding: admin console grants are offline_access, so their tokens carried only grant_id
   * and outlived an expired session. An admin API token carries its session too, and a refresh of its
   * grant once the session is gone mints nothing (and revokes nothing: signing in again works).
   */
  for (const [name, end] of [
    ['expired', `UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id = $1`],
    ['ended without /logout', `UPDATE sessions SET ended_at = now() WHERE id = $1`],
  ] as const) {
    it(`an admin token whose session ${name} is refused, and its refresh is invalid_grant`, async () => {
      const username = `session-${name.split(' ')[0] ?? ''}`;
      const signedIn = await platformAdmin(username);
      const claims = decodeJwt(signedIn.tokens.access_token);
      assert.equal(typeof claims['sid'], 'string', 'bound to its session');
      assert.equal(typeof claims['grant_id'], 'string', 'and to its grant');
      const other = await platform.consoleLogin(username);
      const refreshed = await refresh(signedIn.tokens.refresh_token ?? '');
      assert.equal(refreshed.status, 200, 'refresh works while the session stands');
      assert.equal(decodeJwt(String(refreshed.body['access_token']))['sid'], claims['sid'], 'a refreshed token keeps the session');

      await platform.infrastructure.database.dataSource.query(end, [claims['sid']]);
      assert.equal(await refused(signedIn.tokens.access_token), 401);
      assert.equal(await refused(String(refreshed.body['access_token'])), 401);
      const again = await refresh(String(refreshed.body['refresh_token']));
      assert.equal(again.status, 400);
      assert.equal(again.body['error'], 'invalid_grant');
      assert.equal(again.body['access_token'], undefined);
      assert.equal(await familyRevoked(claims['grant_id']), false, 'the refusal revokes nothing');
      // The same administrator's other session and its grant are untouched.
      assert.equal(await platform.adminStatus('/tenants', other.tokens.access_token), 200);
      assert.equal((await refresh(other.tokens.refresh_token ?? '')).status, 200);
    });
  }

  it('sign-out-everywhere from the CLI (user revoke-sessions) refuses the token', async () => {
    const { tokens } = await platformAdmin('signed-out-cli');
    await platform.services.sessions.revokeAll('system', 'signed-out-cli', 'test');
    assert.equal(await refused(tokens.access_token), 401);
  });

  it('sign-out-everywhere from the admin API (DELETE .../sessions) refuses the token', async () => {
    const { tokens } = await platformAdmin('signed-out-api');
    const operator = await platform.services.adminTokens.mint({});
    const response = await fetch(`${platform.adminBase}/tenants/system/users/signed-out-api/sessions`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${operator.accessToken}` },
    });
    assert.equal(response.status, 200);
    assert.equal(await refused(tokens.access_token), 401);
  });

  it('a disabled admin is refused', async () => {
    const { tokens } = await platformAdmin('disabled');
    const user = await platform.services.users.get('system', 'disabled');
    await platform.services.users.update('system', user, { status: 'disabled' }, 'test');
    assert.equal(await refused(tokens.access_token), 401);
  });

  it('an admin who lost the role is refused what the role gave (403), with no new token needed', async () => {
    const { tokens } = await platformAdmin('demoted');
    await platform.infrastructure.database.dataSource.query(
      `UPDATE users SET roles = '{}' WHERE username = 'demoted' AND tenant_id = (SELECT id FROM tenants WHERE slug = 'system')`,
    );
    assert.equal(await refused(tokens.access_token), 403);
  });

  it('a role granted since the token was issued is not picked up by it (only a new token carries it)', async () => {
    await platform.services.users.create({ tenant: 'system', username: 'promoted', password: PASSWORD, roles: [] });
    const { tokens } = await platform.consoleLogin('promoted');
    await platform.infrastructure.database.dataSource.query(
      `UPDATE users SET roles = '{platform_admin}' WHERE username = 'promoted' AND tenant_id = (SELECT id FROM tenants WHERE slug = 'system')`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await platform.adminStatus('/tenants', tokens.access_token), 403);
  });

  it('an untouched admin and the CLI operator token keep working', async () => {
    const { tokens } = await platformAdmin('untouched');
    assert.equal(await platform.adminStatus('/tenants', tokens.access_token), 200);
    const operator = await platform.services.adminTokens.mint({});
    assert.equal(await platform.adminStatus('/tenants', operator.accessToken), 200);
  });
});
