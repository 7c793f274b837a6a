import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { totpCode } from '@gatehouse/tokens';
import { readForm, TestBrowser } from '../../../../test/support/index.js';
import {
  attemptLogin,
  createLoginTenant,
  loginError,
  PASSWORD,
  REDIRECT_URI,
  startClockedServer,
} from '../login-throttling/login-throttling.fixture.js';
import type { ClockedServer, LoginTenant } from '../login-throttling/login-throttling.fixture.js';

const LOCKED = 'Too many failed sign-in attempts for this account. Try again later, or contact support.';

/** Wrong second-factor codes count toward the hard lock like wrong passwords (docs/adr/0003). */
describe('second-factor failures and the hard lock', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  before(async () => {
    server = await startClockedServer();
    tenant = await createLoginTenant(server, { lockoutThreshold: 100, hardLockThreshold: 10, loginAttemptsPerIpPerMinute: 10_000 }, [
      'mia',
    ]);
  });
  after(async () => {
    await server?.close();
  });

  /** The password, then the enrolment page a client asking for the second factor leads to. */
  async function toEnrolment(): Promise<{ browser: TestBrowser; html: string; url: string }> {
    const browser = new TestBrowser();
    const url = new URL(`${server.origin}/t/${tenant.slug}/authorize`);
    url.searchParams.set('client_id', tenant.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('acr_values', 'urn:gatehouse:acr:mfa');
    const login = await browser.follow(await browser.get(url.toString()), server.origin);
    const form = readForm(await login.response.text(), login.url);
    const password = await browser.postForm(form.action, { ...form.hidden, username: 'mia', password: PASSWORD });
    assert.equal(password.status, 303, 'the password is right');
    const page = await browser.follow(password, server.origin);
    return { browser, html: await page.response.text(), url: page.url };
  }

  it('the code that reaches hardLockThreshold hard-locks: the right code and then the right password are refused', async () => {
    const { tenantId } = await server.admin.users.get(tenant.slug, 'mia');
    const counting = { threshold: 1_000, lockoutSeconds: 1, hardLockThreshold: 100 };
    for (let i = 0; i < 9; i++)
      await server.infrastructure.persistence.repositories.users.recordFailedLogin(tenantId, 'mia', server.now(), counting);

    const enrolment = await toEnrolment();
    assert.equal((await server.admin.users.get(tenant.slug, 'mia')).consecutiveFailedLogins, 9, 'the right password alone resets nothing');
    const secret = (enrolment.html.match(/<code id="totp-secret">([A-Z2-7 ]+)<\/code>/)?.[1] ?? '').replace(/ /g, '');
    const form = readForm(enrolment.html, enrolment.url);
    const wrong = await enrolment.browser.postForm(form.action, {
      ...form.hidden,
      code: totpCode(secret, server.now()) === '000000' ? '111111' : '000000',
    });
    assert.equal(wrong.status, 401);
    const wrongHtml = await wrong.text();
    assert.ok(wrongHtml.includes(LOCKED), 'the person who knows the password learns the account is locked');
    const mia = await server.admin.users.get(tenant.slug, 'mia');
    assert.ok(mia.hardLockedAt, 'the tenth failure, a wrong code, hard-locks');

    const again = readForm(wrongHtml, enrolment.url);
    const right = await enrolment.browser.postForm(again.action, { ...again.hidden, code: totpCode(secret, server.now()) });
    assert.equal(right.status, 401, 'the right code is refused');
    assert.equal(right.headers.getSetCookie().filter((cookie) => cookie.includes('gh_session')).length, 0);

    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(tenantId, 1000);
    const failed = events.filter((event) => event.type === 'mfa.failed');
    assert.equal(failed.at(-1)?.details?.['hard_locked'], true, 'mfa.failed says so at the moment of the hard lock');

    server.advance(3_600);
    const later = await attemptLogin(server, tenant, 'mia', PASSWORD);
    assert.equal(later.status, 401);
    assert.equal(loginError(later.html), 'Incorrect username or password.');
  });
});
