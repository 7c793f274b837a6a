import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertCodeAtClient, PASSWORD, startBrowserFixture, TENANT_NAME, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from './support/chromium.js';
import { assertHtmlPage, assertLoginForm, assertReturnLink, heading, submitLogin } from './support/pages.js';

/** Issue 11: the consent page of a third-party client, answered in one page, in Chromium. */
describe('consent, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('consent');
  before(async () => {
    [fixture, browser] = await Promise.all([startBrowserFixture(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  /** Signs a new person in to the partner app up to its consent page. */
  async function toConsent(page: Page, prefix: string) {
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.partner);
    await page.goto(authorization.url);
    await shot(page, `${prefix}-login`);
    await assertLoginForm(page, TENANT_NAME, fixture.partner.name);
    await submitLogin(page, username, PASSWORD);
    await shot(page, `${prefix}-consent`);
    assert.equal(await heading(page), `${fixture.partner.name} wants to access your ${TENANT_NAME} account`);
    return authorization;
  }

  function decide(page: Page, button: 'Allow' | 'Deny') {
    return navigation(page, () => page.getByRole('button', { name: button, exact: true }).click());
  }

  it('Deny: the client gets error=access_denied with its state', async (t) => {
    const page = await personPage(t, browser);
    const authorization = await toConsent(page, 'deny');
    await decide(page, 'Deny');
    await shot(page, 'deny-at-client');
    const landed = new URL(page.url());
    assert.equal(`${landed.origin}${landed.pathname}`, fixture.app.redirectUri, `landed at ${page.url()}`);
    assert.equal(landed.searchParams.get('error'), 'access_denied');
    assert.equal(landed.searchParams.get('state'), authorization.state);
    assert.equal(landed.searchParams.get('iss'), fixture.tenant.issuer);
    assert.equal(landed.searchParams.get('code'), null);
  });

  it('Allow: the code reaches the client and buys an access token', async (t) => {
    const page = await personPage(t, browser);
    const authorization = await toConsent(page, 'allow');
    await decide(page, 'Allow');
    await shot(page, 'allow-at-client');
    const code = assertCodeAtClient(page, fixture, authorization);
    const tokens = await fixture.exchange(fixture.partner, code, authorization.verifier);
    assert.equal(typeof tokens['access_token'], 'string');
  });

  it('the back button after consent: an HTML page says the sign-in is already completed and links back to the client', async (t) => {
    const page = await personPage(t, browser);
    const authorization = await toConsent(page, 'back');
    await decide(page, 'Allow');
    await shot(page, 'back-at-client');
    assertCodeAtClient(page, fixture, authorization);

    const back = await page.goBack();
    await shot(page, 'back-already-completed');
    assert.ok(page.url().startsWith(fixture.server.origin), `back on the sign-in pages: ${page.url()}`);
    assert.equal(await assertHtmlPage(page, back, 400), 'Already completed');
    await assertReturnLink(page, fixture.partner.name, fixture.partner.clientUri ?? '');

    await navigation(page, () => page.getByRole('link', { name: /^Return to / }).click());
    await shot(page, 'back-returned-to-client');
    assert.equal(page.url(), fixture.partner.clientUri);
  });
});
