import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { asTenantId } from '@gatehouse/protocol';
import {
  createBackchannelDispatcher,
  ownPostgresDatabase,
  readForm,
  startAuthorizationServer,
  TestBrowser,
  type RunningAuthorizationServer,
} from '../../../../test/support/index.js';
import { BackchannelListener } from './backchannel-listener.js';
import { addClient, authorizeUrl, createLogoutFixture, obtainIdToken, POST_LOGOUT_URI, type LogoutFixture } from './logout.fixture.js';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface JobRow {
  attempts: number;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  next_attempt_at: Date;
}

describe('end_session_endpoint (RP-Initiated Logout 1.0) and back-channel logout (Back-Channel Logout 1.0)', () => {
  let server: RunningAuthorizationServer;
  let listener: BackchannelListener;
  let fixture: LogoutFixture;
  let dispatcher: ReturnType<typeof createBackchannelDispatcher>;
  // A database of its own: it signs one user in again and again, which another suite's audit worker on the
  // shared database would record, turning the user's sign-in risk (velocity) against the next sign-in; and
  // its back-channel dispatcher works every tenant's due jobs.
  const database = ownPostgresDatabase();

  before(async () => {
    // The back-channel listener is on loopback: the operator's opt-in lets deliveries reach it.
    server = await startAuthorizationServer({ OUTBOUND_ALLOW_PRIVATE_TARGETS: 'true', ...database.overrides() });
    listener = new BackchannelListener();
    await listener.start();
    fixture = await createLogoutFixture(server, listener.url('/web'));
    dispatcher = createBackchannelDispatcher(server);
  });
  after(async () => {
    await listener?.close();
    await server?.close();
    await database.drop();
  });

  function logoutUrl(params: Record<string, string>): string {
    const url = new URL(`${fixture.issuer}/logout`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  function query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return server.infrastructure.database.dataSource.query<T[]>(sql, params);
  }

  async function endedAt(sid: unknown): Promise<Date | null> {
    assert.equal(typeof sid, 'string', 'the ID token carries sid');
    const [row] = await query<{ ended_at: Date | null }>('SELECT ended_at FROM sessions WHERE id = $1', [sid]);
    assert.ok(row, 'sid is the session id');
    return row.ended_at;
  }

  /** The browser has no SSO session any more: /authorize shows the login page, not a code. */
  async function assertLoginNeeded(browser: TestBrowser): Promise<void> {
    const step = await browser.follow(await browser.get(await authorizeUrl(fixture, fixture.web.client.client_id)), server.origin);
    assert.ok(step.url.startsWith(server.origin), `left for ${step.url}`);
    assert.equal(step.response.status, 200);
    assert.match(readForm(await step.response.text(), step.url).action, /\/login$/);
  }

  /** Still signed in: the next authorization needs no page at all. */
  async function assertStillSignedIn(browser: TestBrowser): Promise<void> {
    const { pages } = await obtainIdToken(fixture, server.origin, fixture.web, browser);
    assert.equal(pages.length, 0, 'SSO still works');
  }

  /** A page (never a redirect) with the headers of every interaction page. */
  async function page(response: Response, status: number): Promise<string> {
    assert.equal(response.status, status);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return response.text();
  }

  function sessionCookieCleared(response: Response): void {
    const name = `gh_session_${fixture.tenant}`;
    const cleared = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
    assert.equal(cleared, `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  }

  /** Due now, whatever an earlier attempt (or another worker on a shared database) scheduled. */
  async function makeJobsDue(): Promise<void> {
    await query(
      `UPDATE backchannel_logout_jobs SET next_attempt_at = now() - interval '1 second'
       WHERE tenant_id = $1 AND delivered_at IS NULL AND failed_at IS NULL`,
      [fixture.tenantId],
    );
  }

  async function jobOf(sid: unknown): Promise<JobRow> {
    const rows = await query<JobRow>(
      'SELECT attempts, delivered_at, failed_at, last_error, next_attempt_at FROM backchannel_logout_jobs WHERE session_id = $1',
      [sid],
    );
    assert.equal(rows.length, 1, 'one job for the one client with a backchannel_logout_uri');
    return rows[0] as JobRow;
  }

  async function auditTypes(): Promise<string[]> {
    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(asTenantId(fixture.tenantId), 1000);
    return events.map((event) => event.type);
  }

  it('discovery advertises the end_session_endpoint and back-channel logout with sid', () => {
    assert.equal(fixture.as.end_session_endpoint, `${fixture.issuer}/logout`);
    assert.equal(fixture.as['backchannel_logout_supported'], true);
    assert.equal(fixture.as['backchannel_logout_session_supported'], true);
  });

  it('(a) a valid hint for this session and a registered URI: the session ends at once and the browser returns with state', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const response = await browser.get(
      logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'bye 1', ui_locales: 'fr', logout_hint: 'x' }),
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${POST_LOGOUT_URI}?state=bye+1`);
    sessionCookieCleared(response);
    assert.ok(await endedAt(claims['sid']));
    await assertLoginNeeded(browser);
    assert.ok((await auditTypes()).includes('session.ended'));
  });

  it('POST works like GET, and client_id naming the hint audience is accepted', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const posted = await browser.postForm(`${fixture.issuer}/logout`, {
      id_token_hint: idToken,
      client_id: fixture.web.client.client_id,
      post_logout_redirect_uri: POST_LOGOUT_URI,
    });
    // Re-issued as a top-level GET so the SameSite=Lax session cookie comes along (a cross-site POST drops it).
    assert.equal(posted.status, 303);
    const location = new URL(posted.headers.get('location') ?? '', `${fixture.issuer}/logout`);
    assert.equal(location.pathname, new URL(`${fixture.issuer}/logout`).pathname);
    const response = await browser.get(location.toString());
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), POST_LOGOUT_URI);
    assert.ok(await endedAt(claims['sid']));
  });

  it('(b) an unregistered post_logout_redirect_uri is a 400 page, never a redirect, and the session lives on', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    for (const uri of ['https://evil.example/signed-out', `${POST_LOGOUT_URI}/`, `${POST_LOGOUT_URI}?x=1`, POST_LOGOUT_URI.toUpperCase()]) {
      const html = await page(await browser.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: uri, state: 's' })), 400);
      assert.match(html, /not registered/);
    }
    // Registered, but for another client than the one named.
    await page(await browser.get(logoutUrl({ client_id: fixture.other.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI })), 400);
    // No way to tell whose URI it is.
    await page(await browser.get(logoutUrl({ post_logout_redirect_uri: POST_LOGOUT_URI })), 400);
    assert.equal(await endedAt(claims['sid']), null);
    await assertStillSignedIn(browser);
  });

  it('(c) without a hint the user is asked; a post without the token or from another browser is refused', async () => {
    const { browser, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const confirmation = await browser.get(
      logoutUrl({ client_id: fixture.web.client.client_id, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'bye-3' }),
    );
    const html = await page(confirmation, 200);
    assert.match(html, /<h1>Sign out of Logout Corp\?<\/h1>/);
    assert.match(html, /<button type="submit">Sign out<\/button>/);
    const form = readForm(html, confirmation.url);
    assert.equal(form.action, `${fixture.issuer}/logout/confirm`);
    assert.ok(form.hidden['csrf']);

    const { csrf: _csrf, ...withoutToken } = form.hidden;
    await page(await browser.postForm(form.action, withoutToken), 403);
    await page(await browser.postForm(form.action, { ...form.hidden, csrf: 'A'.repeat(43) }), 403);
    await page(await new TestBrowser().postForm(form.action, form.hidden), 403);
    assert.equal(await endedAt(claims['sid']), null);
    await assertStillSignedIn(browser);

    const done = await browser.postForm(form.action, form.hidden);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${POST_LOGOUT_URI}?state=bye-3`);
    sessionCookieCleared(done);
    assert.ok(await endedAt(claims['sid']));
    await assertLoginNeeded(browser);
  });

  it('the confirmation form cannot be turned into a redirect to an unregistered URI', async () => {
    const { browser, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const html = await page(await browser.get(logoutUrl({})), 200);
    const form = readForm(html, `${fixture.issuer}/logout`);
    const forged = { ...form.hidden, client_id: fixture.web.client.client_id, post_logout_redirect_uri: 'https://evil.example/' };
    await page(await browser.postForm(form.action, forged), 400);
    assert.equal(await endedAt(claims['sid']), null);
  });

  it('a hint from an earlier session of the user asks first; without a session there is nothing to confirm', async () => {
    const earlier = await obtainIdToken(fixture, server.origin, fixture.web);
    const current = await obtainIdToken(fixture, server.origin, fixture.web);
    const html = await page(await current.browser.get(logoutUrl({ id_token_hint: earlier.idToken })), 200);
    assert.match(html, /Sign out of Logout Corp\?/);
    assert.equal(await endedAt(current.claims['sid']), null);
    assert.equal(await endedAt(earlier.claims['sid']), null);

    const response = await new TestBrowser().get(
      logoutUrl({ id_token_hint: earlier.idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'z' }),
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${POST_LOGOUT_URI}?state=z`);
  });

  it('(d) a hint issued to one client with client_id naming another is a 400 page', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const html = await page(await browser.get(logoutUrl({ id_token_hint: idToken, client_id: fixture.other.client.client_id })), 400);
    assert.match(html, /not issued to this client_id/);
    await page(await browser.get(logoutUrl({ client_id: 'no-such-client' })), 400);
    assert.equal(await endedAt(claims['sid']), null);
  });

  it('(e) a tampered or foreign hint is a 400 page', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const [header, payload, signature] = idToken.split('.') as [string, string, string];
    const claimsSet = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claimsSet, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    for (const hint of [tampered, `${header}.${payload}.${signature.slice(0, -6)}AAAAAA`, 'not-a-token']) {
      const html = await page(await browser.get(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: POST_LOGOUT_URI })), 400);
      assert.match(html, /id_token_hint is not a valid ID token/);
    }
    // A real ID token, but from another tenant: another issuer and other keys.
    const otherTenant = await createLogoutFixture(server, listener.url('/elsewhere'));
    const foreign = await obtainIdToken(otherTenant, server.origin, otherTenant.web);
    await page(await browser.get(logoutUrl({ id_token_hint: foreign.idToken })), 400);
    assert.equal(await endedAt(claims['sid']), null);
  });

  it('(f) the worker posts a logout token that verifies against the tenant JWKS', async () => {
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, fixture.web);
    const signedOut = await browser.get(logoutUrl({ id_token_hint: idToken }));
    assert.match(await page(signedOut, 200), /You are signed out/);
    sessionCookieCleared(signedOut);

    await makeJobsDue();
    assert.ok((await dispatcher.runOnce()) >= 1);
    const notices = listener.to('/web').filter((notice) => decodeJwt(notice.form.get('logout_token') ?? '')['sid'] === claims['sid']);
    assert.equal(notices.length, 1);
    const [notice] = notices;
    assert.equal(notice?.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual([...(notice?.form.keys() ?? [])], ['logout_token']);

    const jwks = createLocalJWKSet((await (await fetch(`${fixture.issuer}/jwks`)).json()) as JSONWebKeySet);
    const { payload, protectedHeader } = await jwtVerify(notice?.form.get('logout_token') ?? '', jwks, {
      issuer: fixture.issuer,
      audience: fixture.web.client.client_id,
      typ: 'logout+jwt',
      maxTokenAge: '2 minutes',
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, claims.sub);
    assert.equal(payload['sid'], claims['sid']);
    assert.deepEqual(payload['events'], { [BACKCHANNEL_EVENT]: {} });
    assert.equal('nonce' in payload, false);
    assert.equal(typeof payload.jti, 'string');
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 120);

    const job = await jobOf(claims['sid']);
    assert.ok(job.delivered_at);
    assert.equal(job.attempts, 1);
    assert.ok((await auditTypes()).includes('backchannel_logout.delivered'));
  });

  it('(g) a client answering 500 is retried later with backoff, then delivered', async () => {
    const flaky = await addClient(server, fixture.tenant, 'Flaky App', listener.url('/flaky'));
    listener.answer('/flaky', 500);
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, flaky);
    await page(await browser.get(logoutUrl({ id_token_hint: idToken })), 200);

    await makeJobsDue();
    await dispatcher.runOnce();
    assert.equal(listener.to('/flaky').length, 1);
    const retried = await jobOf(claims['sid']);
    assert.equal(retried.delivered_at, null);
    assert.equal(retried.failed_at, null);
    assert.equal(retried.attempts, 1);
    assert.equal(retried.last_error, 'HTTP 500');
    assert.ok(retried.next_attempt_at.getTime() > Date.now(), 'the next attempt waits');

    await makeJobsDue();
    await dispatcher.runOnce();
    assert.equal(listener.to('/flaky').length, 2);
    const delivered = await jobOf(claims['sid']);
    assert.ok(delivered.delivered_at);
    assert.equal(delivered.attempts, 2);
  });

  it('a client that never answers 2xx is given up after six attempts, and the audit says so', async () => {
    const down = await addClient(server, fixture.tenant, 'Down App', listener.url('/down'));
    listener.answer('/down', ...Array<number>(10).fill(503));
    const { browser, idToken, claims } = await obtainIdToken(fixture, server.origin, down);
    await page(await browser.get(logoutUrl({ id_token_hint: idToken })), 200);

    for (let attempt = 1; attempt <= 6; attempt++) {
      await makeJobsDue();
      await dispatcher.runOnce();
    }
    await makeJobsDue();
    await dispatcher.runOnce();
    assert.equal(listener.to('/down').length, 6);
    const job = await jobOf(claims['sid']);
    assert.ok(job.failed_at);
    assert.equal(job.delivered_at, null);
    assert.equal(job.attempts, 6);
    assert.ok((await auditTypes()).includes('backchannel_logout.failed'));
  });
  it('erasing the user (issue 18) still tells the client: a logout token for the ended session, after the user row is gone', async () => {
    const erased = await createLogoutFixture(server, listener.url('/erased'));
    const { claims } = await obtainIdToken(erased, server.origin, erased.web);
    const outcome = await server.admin.users.erase(erased.tenant, 'alice', 'test-admin');
    assert.equal(outcome.revoked?.sessions, 1);
    assert.equal(
      await server.infrastructure.persistence.repositories.users.findById(asTenantId(erased.tenantId), String(claims.sub)),
      null,
    );

    await makeJobsDue();
    await dispatcher.runOnce();
    const notices = listener.to('/erased');
    assert.equal(notices.length, 1, 'one notice for the one client of the ended session');
    const jwks = createLocalJWKSet((await (await fetch(`${erased.issuer}/jwks`)).json()) as JSONWebKeySet);
    const { payload } = await jwtVerify(notices[0]?.form.get('logout_token') ?? '', jwks, {
      issuer: erased.issuer,
      audience: erased.web.client.client_id,
      typ: 'logout+jwt',
    });
    assert.equal(payload.sub, claims.sub);
    assert.equal(payload['sid'], claims['sid']);
  });
});
