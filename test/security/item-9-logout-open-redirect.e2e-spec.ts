import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readForm, startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../support/index.js';
import {
  addClient,
  createLogoutFixture,
  obtainIdToken,
  POST_LOGOUT_URI,
  type LogoutClient,
  type LogoutFixture,
} from '../../apps/authorization/test/logout/logout.fixture.js';

const BACKCHANNEL = 'https://rp.example.test/backchannel';

/**
 * Issue 10 item 9: RP-Initiated Logout 1.0 §3. A registered post_logout_redirect_uri is followed only
 * with a valid id_token_hint, or after the person confirms ending a session that client took part in;
 * otherwise the signed-out page, never a redirect.
 */
describe('security item 9: no open redirect at logout', () => {
  let server: RunningAuthorizationServer;
  let fixture: LogoutFixture;
  /** Registered POST_LOGOUT_URI too, but never signs the user in. */
  let bystander: LogoutClient;

  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createLogoutFixture(server, BACKCHANNEL);
    bystander = await addClient(server, fixture.tenant, 'Bystander', BACKCHANNEL);
  });
  after(async () => {
    await server?.close();
  });

  function logoutUrl(params: Record<string, string>): string {
    const url = new URL(`${fixture.issuer}/logout`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  async function endedAt(sid: unknown): Promise<Date | null> {
    const [row] = await server.infrastructure.database.dataSource.query<{ ended_at: Date | null }[]>(
      'SELECT ended_at FROM sessions WHERE id = $1',
      [sid],
    );
    assert.ok(row, 'sid names a session');
    return row.ended_at;
  }

  /** The signed-out page: 200 HTML and no Location, whatever was asked. */
  async function signedOutPage(response: Response): Promise<void> {
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.doesNotMatch(await response.text(), /client\.example\.test\/signed-out/);
  }

  it('without a hint or a session, client_id and a registered URI are not enough: signed-out page', async () => {
    const response = await new TestBrowser().get(
      logoutUrl({ client_id: fixture.web.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'x' }),
    );
    await signedOutPage(response);
  });

  it("without a hint, a session the client did not take part in ends on confirmation but is not redirected to that client's URI", async () => {
    const { browser, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const confirmation = await browser.get(
      logoutUrl({ client_id: bystander.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'x' }),
    );
    assert.equal(confirmation.status, 200);
    const form = readForm(await confirmation.text(), confirmation.url);
    await signedOutPage(await browser.postForm(form.action, form.hidden));
    assert.ok(await endedAt(claims['sid']), 'the person asked to sign out, so the session ended');
  });

  it('a confirmation form edited to add a redirect for a client outside the session is not redirected', async () => {
    const { browser, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const confirmation = await browser.get(logoutUrl({}));
    const form = readForm(await confirmation.text(), confirmation.url);
    const forged = { ...form.hidden, client_id: bystander.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI };
    await signedOutPage(await browser.postForm(form.action, forged));
    assert.ok(await endedAt(claims['sid']));
  });

  it('a forged id_token_hint is refused with the error page, and the session lives on', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const [header, payload] = idToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    const response = await browser.get(logoutUrl({ id_token_hint: forged, post_logout_redirect_uri: POST_LOGOUT_URI }));
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.equal(await endedAt(claims['sid']), null);
  });

  it("a hint of one client cannot carry another client's URI", async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.other);
    const response = await browser.get(
      logoutUrl({ id_token_hint: idToken, client_id: bystander.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI }),
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.equal(await endedAt(claims['sid']), null);
  });

  describe('controls: the legitimate ways back to the client', () => {
    it('a valid id_token_hint of the client redirects, with or without a session', async () => {
      const { browser, idToken } = await obtainIdToken(fixture, server.origin, fixture.web);
      const withSession = await browser.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'a' }));
      assert.equal(withSession.headers.get('location'), `${POST_LOGOUT_URI}?state=a`);
      const without = await new TestBrowser().get(
        logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'b' }),
      );
      assert.equal(without.headers.get('location'), `${POST_LOGOUT_URI}?state=b`);
    });

    it("without a hint, the client's own session redirects after the person confirms", async () => {
      const { browser } = await obtainIdToken(fixture, server.origin, fixture.web);
      const confirmation = await browser.get(
        logoutUrl({ client_id: fixture.web.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'c' }),
      );
      const form = readForm(await confirmation.text(), confirmation.url);
      const done = await browser.postForm(form.action, form.hidden);
      assert.equal(done.headers.get('location'), `${POST_LOGOUT_URI}?state=c`);
    });
  });
});
