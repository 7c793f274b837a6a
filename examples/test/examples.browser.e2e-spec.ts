import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from '../../test/browser/support/chromium.js';
import { INCORRECT, submitLogin } from '../../test/browser/support/pages.js';
import { PASSWORD, startExamples, type RunningExamples } from './examples.fixture.js';

/** Issue 16: the examples as a person uses them in Chromium: sign in (a typo first), allow, see the orders, Back, reload. */
describe('examples in a browser', { skip: chromiumSkip || (!process.env['DATABASE_URL'] && 'needs DATABASE_URL') }, () => {
  let examples: RunningExamples;
  let browser: Browser;
  const { shot } = screenshots('examples');
  before(async () => {
    [examples, browser] = await Promise.all([startExamples(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await examples?.close();
  });

  it('from the welcome page to the orders, through the sign-in and consent pages', async (t) => {
    const page = await personPage(t, browser);
    await page.goto(`${examples.webOrigin}/`);
    await shot(page, 'welcome');
    await navigation(page, () => page.getByRole('link', { name: 'Sign in with Gatehouse' }).click());
    assert.ok(page.url().startsWith(examples.gatehouse.origin), page.url());
    await shot(page, 'gatehouse-sign-in');

    const typo = await submitLogin(page, 'alice', `${PASSWORD}x`);
    assert.equal(typo.status(), 401);
    assert.match(await page.getByRole('alert').innerText(), new RegExp(INCORRECT.replace('.', '\\.')));
    await shot(page, 'typo');
    await submitLogin(page, 'alice', PASSWORD);
    await shot(page, 'consent');
    await navigation(page, () => page.getByRole('button', { name: 'Allow', exact: true }).click());
    assert.equal(new URL(page.url()).origin, examples.webOrigin);
    assert.match(await page.locator('body').innerText(), /Signed in as/);
    await shot(page, 'signed-in');

    await navigation(page, () => page.getByRole('link', { name: 'Your orders' }).click());
    const orders = await page.locator('body').innerText();
    assert.match(orders, /The API answered 200/);
    assert.match(orders, /Espresso beans/);
    await shot(page, 'orders');
    await page.reload();
    assert.match(await page.locator('body').innerText(), /The API answered 200/, 'a reload asks the API again with the same session');

    await page.goBack();
    assert.match(await page.locator('body').innerText(), /Signed in as/, 'Back returns to the signed-in page');
    await navigation(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    assert.ok(await page.getByRole('link', { name: 'Sign in with Gatehouse' }).isVisible());
    await shot(page, 'signed-out');
  });
});
