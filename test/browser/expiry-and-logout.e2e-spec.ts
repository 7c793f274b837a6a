import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { assertCodeAtClient, PASSWORD, startBrowserFixture, TENANT_NAME, type BrowserFixture } from './support/browser.fixture.js';
import { chromiumSkip, launchChromium, navigation, personPage, screenshots } from './support/chromium.js';
import { assertHtmlPage, assertLoginForm, assertReturnLink, heading, submitLogin } from './support/pages.js';

/** Issue 11: a sign-in left open past its lifetime, and signing out, in Chromium. */
describe('an expired sign-in and signing out, in a browser', { skip: chromiumSkip }, () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const { shot } = screenshots('expiry-and-logout');
  before(async () => {
    [fixture, browser] = await Promise.all([startBrowserFixture(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  /**
   * Ages the interaction behind the page past its lifetime (10 minutes), as if the person had
   * left the tab open: its row's expires_at moves into the past, found by the handle in the URL.
   */
  async function expireInteraction(page: Page): Promise<void> {
    const handle = /\/interaction\/([A-Za-z0-9_-]{43})/.exec(page.url())?.[1];
    assert.ok(handle, `an interaction handle in ${page.url()}`);
    const [, updated] = await fixture.server.infrastructure.database.dataSource.query<[unknown[], number]>(
      `UPDATE interactions SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND handle_hash = $2 RETURNING id`,
      [fixture.tenant.id, hashOpaqueSecret(handle)],
    );
    assert.equal(updated, 1, 'the interaction row was aged');
  }

  /** The page for an ended sign-in: HTML, "Sign-in expired", a link back to the portal (no client_uri: its redirect_uri's origin). */
  async function assertExpiredPage(page: Page, response: Parameters<typeof assertHtmlPage>[1]): Promise<void> {
    assert.equal(await assertHtmlPage(page, response, 400), 'Sign-in expired');
    await assertReturnLink(page, fixture.portal.name, fixture.app.origin);
  }

  it('reloading an expired sign-in page offers to start again, with a link back to the client', async (t) => {
    const page = await personPage(t, browser);
    await page.goto(fixture.authorization(fixture.portal).url);
    await shot(page, 'expired-login');
    await assertLoginForm(page, TENANT_NAME, fixture.portal.name);
    await expireInteraction(page);

    const reloaded = await page.reload();
    await shot(page, 'expired-reloaded');
    await assertExpiredPage(page, reloaded);

    await navigation(page, () => page.getByRole('link', { name: /^Return to / }).click());
    await shot(page, 'expired-returned-to-client');
    assert.equal(new URL(page.url()).origin, fixture.app.origin);
  });

  it('submitting the password after the sign-in expired shows the same page, and signs nobody in', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const authorization = fixture.authorization(fixture.portal);
    await page.goto(authorization.url);
    await shot(page, 'expired-submit-login');
    await expireInteraction(page);

    const response = await submitLogin(page, username, PASSWORD);
    await shot(page, 'expired-submit-refused');
    await assertExpiredPage(page, response);
    assert.ok(!fixture.app.visits.some((visit) => visit.searchParams.get('state') === authorization.state), 'nothing reached the client');
  });

  it('signing out: the confirmation page, "Sign out", and the next sign-in asks for the password again', async (t) => {
    const page = await personPage(t, browser);
    const username = await fixture.addUser();
    const first = fixture.authorization(fixture.portal);
    await page.goto(first.url);
    await shot(page, 'logout-login');
    await submitLogin(page, username, PASSWORD);
    await shot(page, 'logout-signed-in-at-client');
    assertCodeAtClient(page, fixture, first);

    // Signed in: another request of the client is answered at once, without a page.
    const second = fixture.authorization(fixture.portal);
    await page.goto(second.url);
    await shot(page, 'logout-single-sign-on');
    assertCodeAtClient(page, fixture, second);

    const confirmation = await page.goto(`${fixture.tenant.issuer}/logout`);
    await shot(page, 'logout-confirm');
    assert.equal(await assertHtmlPage(page, confirmation, 200), `Sign out of ${TENANT_NAME}?`);
    await navigation(page, () => page.getByRole('button', { name: 'Sign out', exact: true }).click());
    await shot(page, 'logout-signed-out');
    // No id_token_hint and no client: the person stays with us, on the signed-out page.
    assert.equal(await heading(page), 'You are signed out');

    const third = fixture.authorization(fixture.portal);
    await page.goto(third.url);
    await shot(page, 'logout-login-again');
    await assertLoginForm(page, TENANT_NAME, fixture.portal.name);
    assert.ok(!fixture.app.visits.some((visit) => visit.searchParams.get('state') === third.state), 'no code without the password');
  });
});
