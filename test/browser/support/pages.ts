import assert from 'node:assert/strict';
import type { Page, Response } from 'playwright-core';
import { navigation } from './chromium.js';

export const INCORRECT = 'Incorrect username or password.';
export const LOCKED = 'Too many failed sign-in attempts for this account';

/** The page's one <h1>, as read aloud. */
export async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim();
}

/** The login form as a person finds it: a heading naming tenant and client, two labelled fields, a "Sign in" button. */
export async function assertLoginForm(page: Page, tenantName: string, clientName: string): Promise<void> {
  assert.equal(await heading(page), `Sign in to ${tenantName}`);
  assert.ok(await page.getByText(`to continue to ${clientName}`).isVisible(), `"to continue to ${clientName}" on the page`);
  assert.ok(await page.getByLabel('Username', { exact: true }).isVisible());
  assert.ok(await page.getByLabel('Password', { exact: true }).isVisible());
  assert.ok(await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible());
}

/** Types into the labelled fields and presses "Sign in"; returns the response of the page it leads to. */
export async function submitLogin(page: Page, username: string, password: string): Promise<Response> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return navigation(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click());
}

/** The refusal is announced (role="alert") and tied to both fields (aria-describedby, aria-invalid). */
export async function assertLoginRefused(page: Page, message: string): Promise<void> {
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), new RegExp(escapeRegExp(message)));
  const alertId = await alert.getAttribute('id');
  assert.ok(alertId, 'the alert has an id for aria-describedby');
  for (const label of ['Username', 'Password']) {
    const field = page.getByLabel(label, { exact: true });
    assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label} is aria-invalid`);
    const describedBy = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    assert.ok(describedBy.includes(alertId), `${label} is described by the alert (aria-describedby="${describedBy.join(' ')}")`);
  }
}

/** A page meant for a person: HTML (never a JSON body), with an <h1>. Returns the heading. */
export async function assertHtmlPage(page: Page, response: Response | null, status?: number | readonly number[]): Promise<string> {
  assert.ok(response, 'the browser fetched the page (not served from a cache)');
  if (status !== undefined) {
    const allowed: readonly number[] = typeof status === 'number' ? [status] : status;
    assert.ok(allowed.includes(response.status()), `status ${response.status()}, expected ${allowed.join(' or ')}`);
  }
  assert.match((await response.allHeaders())['content-type'] ?? '', /^text\/html/);
  const text = (await page.locator('body').innerText()).trim();
  assert.ok(!text.startsWith('{') && !text.includes('"error"'), `no JSON shown: ${text.slice(0, 200)}`);
  return heading(page);
}

/**
 * The "start again" link of an ended sign-in: named "Return to <client>", leading to the
 * client's client_uri, else to the origin of the request's redirect_uri.
 */
export async function assertReturnLink(page: Page, clientName: string, expectedHref: string): Promise<void> {
  const link = page.getByRole('link', { name: new RegExp(`^Return to ${escapeRegExp(clientName)}`) });
  assert.equal(await link.count(), 1, `one "Return to ${clientName}" link`);
  const href = new URL((await link.getAttribute('href')) ?? '', page.url()).toString();
  assert.equal(href, new URL(expectedHref).toString());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
