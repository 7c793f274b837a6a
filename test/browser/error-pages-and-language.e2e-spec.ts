import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBrowserFixture, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, personPage, screenshots } from './support/chromium.js';
import { assertHtmlPage } from './support/pages.js';

/** Issue 11: what a browser shows for a bad address, and the page's language. */
describe('error pages and language, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('error-pages-and-language');
  before(async () => {
    [fixture, browser] = await Promise.all([startBrowserFixture(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('a failing navigation under /t/{tenant}/ gets an HTML error page with a heading, never JSON', async (t) => {
    const page = await personPage(t, browser);
    const { origin } = fixture.server;
    const unknownClient = new URL(fixture.authorization(fixture.portal).url);
    unknownClient.searchParams.set('client_id', 'no-such-client');
    const cases = [
      { name: 'unknown-page', url: `${fixture.tenant.issuer}/no-such-page`, status: 404 },
      { name: 'unknown-tenant', url: `${origin}/t/no-such-tenant/authorize?client_id=x`, status: 404 },
      { name: 'unknown-client', url: unknownClient.toString(), status: 400 },
    ];
    for (const { name, url, status } of cases) {
      const response = await page.goto(url);
      await shot(page, name);
      const title = await assertHtmlPage(page, response, status);
      assert.ok(title.length > 0, `${name}: an <h1> that says what went wrong`);
      assert.ok(page.url().startsWith(origin), `${name}: no redirect away (${page.url()})`);
    }
  });

  it('the APIs keep answering JSON', async () => {
    const response = await fetch(`${fixture.tenant.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', client_id: fixture.portal.clientId }),
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(typeof ((await response.json()) as Record<string, unknown>)['error'], 'string');
  });

  async function assertLanguage(
    page: Page,
    lang: string,
    labels: { username: string | RegExp; password: string; button: string },
  ): Promise<void> {
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    assert.ok(await page.getByLabel(labels.username, { exact: true }).isVisible(), `a field labelled ${String(labels.username)}`);
    assert.ok(await page.getByLabel(labels.password, { exact: true }).isVisible(), `a field labelled "${labels.password}"`);
    assert.ok(await page.getByRole('button', { name: labels.button, exact: true }).isVisible(), `a "${labels.button}" button`);
  }

  it('ui_locales=de shows the login page in German', async (t) => {
    const page = await personPage(t, browser);
    await page.goto(fixture.authorization(fixture.portal, { ui_locales: 'de' }).url);
    await shot(page, 'login-de');
    await assertLanguage(page, 'de', { username: 'Benutzername', password: 'Passwort', button: 'Anmelden' });
  });

  it('a browser set to French (Accept-Language) gets the login page in French', async (t) => {
    const page = await personPage(t, browser, { locale: 'fr-FR' });
    await page.goto(fixture.authorization(fixture.portal).url);
    await shot(page, 'login-fr');
    await assertLanguage(page, 'fr', { username: /^Nom d['’]utilisateur$/, password: 'Mot de passe', button: 'Se connecter' });
  });
});
