import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { assertCodeAtClient, PASSWORD, startBrowserFixture, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from './support/chromium.js';
import { submitLogin } from './support/pages.js';

/** Issue 13: prompt=select_account, as a person with two accounts uses it in Chromium. */
describe('choosing an account, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('select-account');
  before(async () => {
    [fixture, browser] = await Promise.all([startBrowserFixture(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  async function subjectAt(page: Parameters<typeof assertCodeAtClient>[0], authorization: ReturnType<BrowserFixture['authorization']>) {
    const code = assertCodeAtClient(page, fixture, authorization);
    const tokens = await fixture.exchange(fixture.portal, code, authorization.verifier);
    return String(decodeJwt(String(tokens['id_token'])).sub);
  }

  it('continues as the account signed in, or signs in with another (a typo first), and a reload keeps the offer', async (t) => {
    const page = await personPage(t, browser);
    const [work, personal] = [await fixture.addUser(), await fixture.addUser()];
    const first = fixture.authorization(fixture.portal);
    await page.goto(first.url);
    await submitLogin(page, work, PASSWORD);
    const workSub = await subjectAt(page, first);

    const choose = fixture.authorization(fixture.portal, { prompt: 'select_account' });
    await page.goto(choose.url);
    await shot(page, 'chooser');
    const continueAs = page.getByRole('button', { name: `Continue as ${work}`, exact: true });
    assert.ok(await continueAs.isVisible());
    await page.reload();
    assert.ok(await continueAs.isVisible(), 'a reload shows the same offer');
    await navigation(page, () => continueAs.click());
    await shot(page, 'continued');
    assert.equal(await subjectAt(page, choose), workSub, 'no password asked, the same account');

    const other = fixture.authorization(fixture.portal, { prompt: 'select_account' });
    await page.goto(other.url);
    const typo = await submitLogin(page, personal, `${PASSWORD}x`);
    await shot(page, 'other-account-typo');
    assert.equal(typo.status(), 401);
    assert.match(await page.getByRole('alert').innerText(), /Incorrect username or password\./);
    assert.ok(await page.getByRole('button', { name: `Continue as ${work}`, exact: true }).isVisible(), 'the offer stays');
    await submitLogin(page, personal, PASSWORD);
    await shot(page, 'other-account');
    const personalSub = await subjectAt(page, other);
    assert.notEqual(personalSub, workSub);

    const next = fixture.authorization(fixture.portal, { prompt: 'select_account' });
    await page.goto(next.url);
    await shot(page, 'chooser-after-switch');
    assert.ok(
      await page.getByRole('button', { name: `Continue as ${personal}`, exact: true }).isVisible(),
      'the session is the new account',
    );
  });
});
