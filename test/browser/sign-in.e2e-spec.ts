import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertCodeAtClient, PASSWORD, startBrowserFixture, TENANT_NAME, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from './support/chromium.js';
import { assertLoginForm, assertLoginRefused, INCORRECT, LOCKED, submitLogin } from './support/pages.js';

/** Issue 11: a person signs in on the login page, one submission after another in one page, in Chromium. */
describe('signing in, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('sign-in');
  before(async () => {
    [fixture, browser] = await Promise.all([startBrowserFixture(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('a wrong password, then the right one: the code reaches the client and buys an access token', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    await shot(page, 'login');
    await assertLoginForm(page, TENANT_NAME, fixture.portal.name);

    const refused = await submitLogin(page, username, 'not my password');
    await shot(page, 'wrong-password');
    assert.equal(refused.status(), 401, "the refusal is the POST's own answer: the form again, posting to the same absolute action");
    await assertLoginRefused(page, INCORRECT);
    await assertLoginForm(page, TENANT_NAME, fixture.portal.name);

    await submitLogin(page, username, PASSWORD);
    await shot(page, 'at-client');
    const code = assertCodeAtClient(page, fixture, authorization);
    const tokens = await fixture.exchange(fixture.portal, code, authorization.verifier);
    assert.equal(typeof tokens['access_token'], 'string');
    assert.equal(tokens['token_type'], 'Bearer');
  });

  it('two wrong passwords, then the right one: the code reaches the client', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    await shot(page, 'two-wrong-login');
    for (const attempt of [1, 2]) {
      await submitLogin(page, username, `wrong guess ${attempt}`);
      await shot(page, `two-wrong-refused-${attempt}`);
      await assertLoginRefused(page, INCORRECT);
    }
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'two-wrong-at-client');
    assertCodeAtClient(page, fixture, authorization);
  });

  it('reloading the login page shows the login form again, and signing in still works', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    const reloaded = await page.reload();
    await shot(page, 'reloaded-login');
    assert.equal(reloaded?.status(), 200);
    await assertLoginForm(page, TENANT_NAME, fixture.portal.name);
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'reloaded-at-client');
    assertCodeAtClient(page, fixture, authorization);
  });

  it('a locked account says so, and then even the right password does not sign in', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    await shot(page, 'lock-login');
    // The tenant locks after 3 wrong passwords: the 3rd refusal, or at the latest the 4th, says so.
    let locked = false;
    for (let attempt = 1; attempt <= 4 && !locked; attempt++) {
      await submitLogin(page, username, `wrong guess ${attempt}`);
      await shot(page, `lock-attempt-${attempt}`);
      const alert = await page.getByRole('alert').innerText();
      locked = alert.includes(LOCKED);
      if (!locked) assert.match(alert, /Incorrect username or password\./);
    }
    assert.ok(locked, `the locked message after the threshold: "${LOCKED}"`);
    await assertLoginRefused(page, LOCKED);

    await submitLogin(page, username, PASSWORD);
    await shot(page, 'lock-right-password');
    await assertLoginRefused(page, LOCKED);
    assert.ok(page.url().startsWith(fixture.server.origin), `still on the sign-in pages: ${page.url()}`);
    assert.ok(!fixture.app.visits.some((visit) => visit.searchParams.get('state') === authorization.state), 'nothing reached the client');
  });

  it('with the keyboard alone, 320 px wide: Tab, type, Tab, type, Enter signs in, and nothing scrolls sideways', async (t) => {
    const page = await personPage(t, browser, { viewport: { width: 320, height: 640 } });
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    await shot(page, 'narrow-login');
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(scrollWidth <= 320, `no horizontal scroll at 320 px (scrollWidth ${scrollWidth})`);

    await tabTo(page, 'Username');
    await page.keyboard.type(username);
    await tabTo(page, 'Password');
    await page.keyboard.type(PASSWORD);
    await shot(page, 'narrow-filled');
    await navigation(page, () => page.keyboard.press('Enter'));
    await shot(page, 'narrow-at-client');
    assertCodeAtClient(page, fixture, authorization);
  });

  it('follows a dark system setting, with a visible focus ring, and the consent page fits 320 px too', async (t) => {
    const page = await personPage(t, browser, { colorScheme: 'dark', viewport: { width: 320, height: 640 } });
    const authorization = fixture.authorization(fixture.partner);
    await page.goto(authorization.url);
    await shot(page, 'dark-login');
    const background = String(await page.evaluate('getComputedStyle(document.body).backgroundColor'));
    assert.equal(background, 'rgb(24, 24, 27)', 'the dark background');
    await tabTo(page, 'Username');
    const outline = String(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'));
    assert.equal(outline, 'solid', 'the focused field shows a focus ring');
    await submitLogin(page, await fixture.addUser(), PASSWORD);
    await shot(page, 'dark-consent-narrow');
    assert.equal(await page.getByRole('button', { name: 'Allow', exact: true }).count(), 1);
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(scrollWidth <= 320, `the consent page has no horizontal scroll at 320 px (scrollWidth ${scrollWidth})`);
  });
});

/** Presses Tab until the labelled field has focus (none when it already has it: the login page focuses Username). */
async function tabTo(page: Page, label: 'Username' | 'Password'): Promise<void> {
  const field = page.getByLabel(label, { exact: true }).and(page.locator(':focus'));
  for (let presses = 0; presses < 8; presses++) {
    if ((await field.count()) === 1) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached the ${label} field`);
}
