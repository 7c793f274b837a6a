import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { totpCode } from '@gatehouse/tokens';
import { readForm, TestBrowser } from '../../../../test/support/index.js';
import { createLoginTenant, PASSWORD, REDIRECT_URI, startClockedServer } from '../login-throttling/login-throttling.fixture.js';
import type { ClockedServer, LoginTenant } from '../login-throttling/login-throttling.fixture.js';

const MFA = 'urn:gatehouse:acr:mfa';

/** TOTP as a second factor on the real pages over HTTP: enrolment, codes used once, recovery codes, acr/amr. */
describe('TOTP second factor', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  let secret = '';
  let recoveryCodes: string[] = [];

  before(async () => {
    server = await startClockedServer();
    tenant = await createLoginTenant(server, { lockoutThreshold: 5, lockoutSeconds: 120, loginAttemptsPerIpPerMinute: 1000 }, [
      'alice',
      'bob',
    ]);
  });
  after(async () => {
    await server?.close();
  });

  interface Started {
    readonly browser: TestBrowser;
    readonly verifier: string;
    /** The response to the password. */
    readonly response: Response;
  }

  async function signIn(username: string, acrValues?: string): Promise<Started> {
    const browser = new TestBrowser();
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${server.origin}/t/${tenant.slug}/authorize`);
    url.searchParams.set('client_id', tenant.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('state', 'st-1');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (acrValues) url.searchParams.set('acr_values', acrValues);
    const page = await browser.follow(await browser.get(url.toString()), server.origin);
    assert.equal(page.response.status, 200);
    const form = readForm(await page.response.text(), page.url);
    const response = await browser.postForm(form.action, { ...form.hidden, username, password: PASSWORD });
    return { browser, verifier, response };
  }

  /** Follows the 303 after the password to the next page. */
  async function nextPage(started: Started): Promise<{ html: string; url: string; status: number }> {
    assert.equal(started.response.status, 303);
    const page = await started.browser.follow(started.response, server.origin);
    return { html: await page.response.text(), url: page.url, status: page.response.status };
  }

  async function submitCode(started: Started, page: { html: string; url: string }, code: string): Promise<Response> {
    const form = readForm(page.html, page.url);
    assert.ok(form.action.startsWith(`${server.origin}/t/`), 'absolute form action');
    return started.browser.postForm(form.action, { ...form.hidden, code });
  }

  async function idTokenFor(location: string | null, verifier: string): Promise<Record<string, unknown>> {
    assert.ok(location?.startsWith(REDIRECT_URI), `landed at ${location}`);
    const code = new URL(location ?? '').searchParams.get('code') ?? '';
    const response = await fetch(`${server.origin}/t/${tenant.slug}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: tenant.clientId,
        code_verifier: verifier,
      }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { id_token: string };
    return decodeJwt(body.id_token);
  }

  const failedCount = async (username: string) => (await server.admin.users.get(tenant.slug, username)).failedLoginCount;
  const events = async (type: string) => {
    const user = await server.admin.users.get(tenant.slug, 'alice');
    const all = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(user.tenantId, 1000);
    return all.filter((event) => event.type === type);
  };

  it('discovery lists the acr values', async () => {
    const response = await fetch(`${server.origin}/t/${tenant.slug}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(metadata['acr_values_supported'], ['urn:gatehouse:acr:pwd', MFA]);
  });

  it('a password alone: amr ["pwd"], acr pwd', async () => {
    const started = await signIn('bob');
    assert.equal(started.response.status, 303);
    const claims = await idTokenFor(started.response.headers.get('location'), started.verifier);
    assert.deepEqual(claims['amr'], ['pwd']);
    assert.equal(claims['acr'], 'urn:gatehouse:acr:pwd');
  });

  it('acr_values=mfa sends a user without a factor through enrolment; a wrong code is counted; recovery codes are shown once', async () => {
    const started = await signIn('alice', MFA);
    assert.equal(started.response.headers.getSetCookie().filter((cookie) => cookie.includes('gh_session')).length, 0, 'no session yet');
    const page = await nextPage(started);
    assert.equal(page.status, 200);
    assert.match(page.html, /<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    secret = (page.html.match(/<code id="totp-secret">([A-Z2-7 ]+)<\/code>/)?.[1] ?? '').replace(/ /g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    // Reloading shows the same pending secret.
    const again = await started.browser.get(page.url);
    assert.ok((await again.text()).includes(page.html.match(/<code id="totp-secret">[^<]+/)?.[0] ?? 'x'));

    const wrong = await submitCode(started, page, '000000' === totpCode(secret, server.now()) ? '111111' : '000000');
    assert.equal(wrong.status, 401);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /role="alert">That code is not valid\./);
    assert.equal(await failedCount('alice'), 1, 'a wrong code counts like a wrong password');

    const right = await submitCode(started, { html: wrongHtml, url: page.url }, totpCode(secret, server.now()));
    assert.equal(right.status, 200);
    assert.ok(
      right.headers.getSetCookie().some((cookie) => cookie.includes('gh_session')),
      'the session begins now',
    );
    const codesHtml = await right.text();
    recoveryCodes = [...codesHtml.matchAll(/<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})<\/code><\/li>/g)].map((match) => match[1] ?? '');
    assert.equal(recoveryCodes.length, 10);
    assert.equal(await failedCount('alice'), 0, 'the sign-in resets the count');

    const done = await submitCode(started, { html: codesHtml, url: page.url }, '');
    assert.equal(done.status, 303);
    const claims = await idTokenFor(done.headers.get('location'), started.verifier);
    assert.deepEqual(claims['amr'], ['pwd', 'otp', 'mfa']);
    assert.equal(claims['acr'], MFA);
    assert.equal((await events('mfa.enrolled')).length, 1);
    assert.equal((await events('mfa.failed')).length, 1);
  });

  it('the next sign-in asks for the code; a code is accepted once; a replay is refused and counted', async () => {
    server.advance(60);
    const code = totpCode(secret, server.now());
    const first = await signIn('alice');
    const page = await nextPage(first);
    assert.match(page.html, /<label for="code">/);
    const accepted = await submitCode(first, page, code);
    assert.equal(accepted.status, 303);
    const claims = await idTokenFor(accepted.headers.get('location'), first.verifier);
    assert.deepEqual(claims['amr'], ['pwd', 'otp', 'mfa']);

    const second = await signIn('alice');
    const secondPage = await nextPage(second);
    const replayed = await submitCode(second, secondPage, code);
    assert.equal(replayed.status, 401, 'the same code again is refused');
    assert.equal(replayed.headers.get('location'), null);
    assert.equal(await failedCount('alice'), 1);
    const replayedEvents = await events('mfa.failed');
    assert.equal(replayedEvents.at(-1)?.details?.['reason'], 'code_already_used');

    server.advance(30);
    const later = await submitCode(second, { html: await replayed.text(), url: secondPage.url }, totpCode(secret, server.now()));
    assert.equal(later.status, 303, 'a later code is accepted');
    assert.equal(await failedCount('alice'), 0);
    assert.ok((await events('mfa.verified')).length >= 2);
  });

  it('a recovery code signs in once', async () => {
    const code = recoveryCodes[3] ?? '';
    const first = await signIn('alice');
    const accepted = await submitCode(first, await nextPage(first), code.toLowerCase());
    assert.equal(accepted.status, 303);
    const claims = await idTokenFor(accepted.headers.get('location'), first.verifier);
    assert.equal(claims['acr'], MFA);

    const second = await signIn('alice');
    const refused = await submitCode(second, await nextPage(second), code);
    assert.equal(refused.status, 401);
    assert.equal(await failedCount('alice'), 1);
  });

  it('an SSO session with the password alone does not satisfy acr_values=mfa', async () => {
    const started = await signIn('bob');
    assert.equal(started.response.status, 303);
    const url = new URL(`${server.origin}/t/${tenant.slug}/authorize`);
    url.searchParams.set('client_id', tenant.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('acr_values', MFA);
    url.searchParams.set('prompt', 'none');
    const response = await started.browser.get(url.toString());
    assert.equal(new URL(response.headers.get('location') ?? '').searchParams.get('error'), 'login_required');
  });

  it('max_age: a session older than it asks for the password and the code again; auth_time is the new sign-in', async () => {
    server.advance(30);
    const first = await signIn('alice');
    const firstPage = await nextPage(first);
    const signedIn = await submitCode(first, firstPage, totpCode(secret, server.now()));
    assert.equal(signedIn.status, 303);
    const before = await idTokenFor(signedIn.headers.get('location'), first.verifier);

    server.advance(120);
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${server.origin}/t/${tenant.slug}/authorize`);
    for (const [key, value] of Object.entries({
      client_id: tenant.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(key, value);
    const fresh = await first.browser.get(`${url.toString()}&max_age=3600`);
    assert.ok(fresh.headers.get('location')?.startsWith(REDIRECT_URI), 'a session younger than max_age signs in silently');

    const stale = await first.browser.follow(await first.browser.get(`${url.toString()}&max_age=60`), server.origin);
    assert.equal(stale.response.status, 200);
    const form = readForm(await stale.response.text(), stale.url);
    assert.ok(form.action.endsWith('/login'), 'the password again');
    const password = await first.browser.postForm(form.action, { ...form.hidden, username: 'alice', password: PASSWORD });
    const codePage = await nextPage({ browser: first.browser, verifier, response: password });
    assert.match(codePage.html, /<label for="code">/, 'and the code again');
    const done = await submitCode({ browser: first.browser, verifier, response: password }, codePage, totpCode(secret, server.now()));
    const after = await idTokenFor(done.headers.get('location'), verifier);
    assert.deepEqual(after['amr'], ['pwd', 'otp', 'mfa']);
    assert.ok(Number(after['auth_time']) >= Number(before['auth_time']) + 120, 'auth_time is the new sign-in');
  });

  it("an admin's reset removes the factor: the next sign-in is the password alone", async () => {
    const result = await server.admin.users.resetFactors(tenant.slug, 'alice', 'test-admin');
    assert.equal(result.removed, true);
    const started = await signIn('alice');
    assert.equal(started.response.status, 303);
    const claims = await idTokenFor(started.response.headers.get('location'), started.verifier);
    assert.deepEqual(claims['amr'], ['pwd']);
    const changes = await events('admin.change');
    assert.ok(changes.some((event) => event.details?.['action'] === 'admin.user.factors_reset'));
  });
});
