import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '@gatehouse/tokens';
import { assertCodeAtClient, PASSWORD, startBrowserFixture, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from './support/chromium.js';
import { submitLogin } from './support/pages.js';

const MFA = 'urn:gatehouse:acr:mfa';

/** Issue 13: a person enrols an authenticator app when the client asks for MFA, then signs in with its codes, in Chromium. */
describe('two-step verification, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('second-factor');
  before(async () => {
    [fixture, browser] = await Promise.all([startBrowserFixture(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  function submitCode(page: Page, label: string | RegExp, code: string, button: string) {
    return page
      .getByLabel(label)
      .fill(code)
      .then(() => navigation(page, () => page.getByRole('button', { name: button, exact: true }).click()));
  }

  it('enrols (wrong code, then right), keeps the recovery codes, consents; the next sign-in asks for a code', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.partner, { acr_values: MFA });
    await page.goto(authorization.url);
    await shot(page, 'login');
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'enrol');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Set up two-step verification');
    const qr = page.locator('img.qr');
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok(Number(await page.evaluate("document.querySelector('img.qr').naturalWidth")) > 0, 'the CSP lets the inline QR code load');
    assert.ok(await qr.getAttribute('alt'));
    // What a person does with the app: read the key (the test computes the code the app would show).
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);

    const current = totpCode(secret, new Date());
    const refused = await submitCode(page, 'Code shown in the app', current === '000000' ? '111111' : '000000', 'Confirm');
    await shot(page, 'enrol-wrong-code');
    assert.equal(refused.status(), 401);
    assert.match(await page.getByRole('alert').innerText(), /That code is not valid\./);
    const field = page.getByLabel('Code shown in the app');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.getAttribute('aria-describedby'), await page.getByRole('alert').getAttribute('id'));

    await submitCode(page, 'Code shown in the app', totpCode(secret, new Date()), 'Confirm');
    await shot(page, 'recovery-codes');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Save your recovery codes');
    const codes = await page.locator('.recovery-codes code').allInnerTexts();
    assert.equal(codes.length, 10);

    await navigation(page, () => page.getByRole('button', { name: 'Continue', exact: true }).click());
    await shot(page, 'consent');
    await navigation(page, () => page.getByRole('button', { name: 'Allow', exact: true }).click());
    await shot(page, 'at-client');
    const code = assertCodeAtClient(page, fixture, authorization);
    const tokens = await fixture.exchange(fixture.partner, code, authorization.verifier);
    const claims = decodeJwt(String(tokens['id_token']));
    assert.deepEqual(claims['amr'], ['pwd', 'otp', 'mfa']);
    assert.equal(claims['acr'], MFA);

    // Signed out (the cookies gone), the same person signs in again: now the code is asked for.
    await page.context().clearCookies();
    const again = fixture.authorization(fixture.portal);
    await page.goto(again.url);
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'second-factor');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Enter your verification code');
    // The enrolment used the current step; the app's next code (±1 step is accepted) is a later one.
    await submitCode(page, 'Verification code or recovery code', totpCode(secret, new Date(Date.now() + 30_000)), 'Verify');
    await shot(page, 'second-factor-at-client');
    assertCodeAtClient(page, fixture, again);
  });
});
