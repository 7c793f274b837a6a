import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { assertCodeAtClient, PASSWORD, startBrowserFixture, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from './support/chromium.js';
import { heading, submitLogin } from './support/pages.js';

/**
 * Issue 13: passkeys in Chromium with its virtual authenticator (DevTools WebAuthn domain): added on
 * the security page after a password sign-in, then the second factor, then (the tenant allows it)
 * the only factor, then removed. The server is reached as http://localhost (a secure context whose
 * host name can be the RP ID; WebAuthn refuses an IP address).
 */
describe('passkeys, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('passkeys');
  before(async () => {
    [fixture, browser] = await Promise.all([
      startBrowserFixture({ host: 'localhost', passkeyLogin: 'passwordless' }),
      // The listener is on 127.0.0.1 only: no attempt at ::1.
      launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']),
    ]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  /** A platform authenticator with resident keys and user verification (a fingerprint that always matches). */
  async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    return { cdp, authenticatorId };
  }

  /** Every CSP report the page logs: the ceremony must run under the unchanged policy. */
  function cspViolations(page: Page): string[] {
    const seen: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
    });
    return seen;
  }

  async function amrAfter(page: Page, authorization: ReturnType<BrowserFixture['authorization']>): Promise<unknown> {
    const code = assertCodeAtClient(page, fixture, authorization);
    const tokens = await fixture.exchange(fixture.portal, code, authorization.verifier);
    return decodeJwt(String(tokens['id_token']))['amr'];
  }

  it('adds a passkey on the security page, uses it after the password and instead of it, and removes it', async (t) => {
    const page = await personPage(t, browser);
    const violations = cspViolations(page);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    const username = await fixture.addUser();
    const securityUrl = `${fixture.tenant.issuer}/account/security`;

    // A password sign-in (no factor yet), then the security page.
    const first = fixture.authorization(fixture.portal);
    await page.goto(first.url);
    await shot(page, 'login-with-passkey-button');
    assert.ok(await page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible(), 'the script reveals the passkey button');
    await submitLogin(page, username, PASSWORD);
    assert.deepEqual(await amrAfter(page, first), ['pwd']);
    await page.goto(securityUrl);
    await shot(page, 'security-empty');
    assert.equal(await heading(page), 'Security');
    await page.getByLabel('Name of the new passkey (optional)').fill('Work laptop');
    await navigation(page, () => page.getByRole('button', { name: 'Add a passkey' }).click());
    await shot(page, 'security-added');
    assert.match(await page.getByRole('status').innerText(), /The passkey was added/);
    assert.match(await page.locator('.passkeys').innerText(), /Work laptop \(this device only\)/);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]?.isResidentCredential, true, 'discoverable: usable without a username');

    // Signed out: the password, then the passkey as the second factor.
    await page.context().clearCookies();
    const second = fixture.authorization(fixture.portal);
    await page.goto(second.url);
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'second-factor-passkey');
    assert.equal(await heading(page), 'Verify it is you');
    await navigation(page, () => page.getByRole('button', { name: 'Use your passkey' }).click());
    await shot(page, 'second-factor-at-client');
    assert.deepEqual(await amrAfter(page, second), ['pwd', 'hwk', 'mfa']);

    // Signed out again: the passkey alone (the tenant allows passwordless), no username typed.
    await page.context().clearCookies();
    const third = fixture.authorization(fixture.portal);
    await page.goto(third.url);
    await navigation(page, () => page.getByRole('button', { name: 'Sign in with a passkey' }).click());
    await shot(page, 'passwordless-at-client');
    assert.deepEqual(await amrAfter(page, third), ['hwk', 'user', 'mfa']);
    const used = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.ok((used.credentials[0]?.signCount ?? 0) >= 2, 'the counter moved with each use');

    // Removed on the security page: the next sign-in is the password alone.
    await page.goto(securityUrl);
    await navigation(page, () => page.getByRole('button', { name: 'Remove the passkey Work laptop' }).click());
    await shot(page, 'security-removed');
    assert.match(await page.locator('main').innerText(), /You have no passkeys yet/);
    await page.context().clearCookies();
    const fourth = fixture.authorization(fixture.portal);
    await page.goto(fourth.url);
    await submitLogin(page, username, PASSWORD);
    assert.deepEqual(await amrAfter(page, fourth), ['pwd']);
    assert.deepEqual(violations, []);
  });

  it('acr_values=mfa without a factor: "Create a passkey" on the enrolment page instead of an authenticator app', async (t) => {
    const page = await personPage(t, browser);
    const violations = cspViolations(page);
    await virtualAuthenticator(page);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal, { acr_values: 'urn:gatehouse:acr:mfa' });
    await page.goto(authorization.url);
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'enrol-with-passkey');
    assert.equal(await heading(page), 'Set up two-step verification');
    await navigation(page, () => page.getByRole('button', { name: 'Create a passkey' }).click());
    assert.deepEqual(await amrAfter(page, authorization), ['pwd', 'hwk', 'mfa']);
    assert.deepEqual(violations, []);
  });

  it('a cancelled ceremony says so and leaves the other ways open', async (t) => {
    const page = await personPage(t, browser);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    // No user verification possible: Chromium refuses a ceremony that requires it.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    const alert = page.locator('[data-passkey-error]');
    await alert.waitFor({ state: 'visible' });
    await shot(page, 'passwordless-cancelled');
    assert.match(await alert.innerText(), /The passkey was not used/);
    assert.ok(await page.getByLabel('Password', { exact: true }).isVisible());
  });
});
