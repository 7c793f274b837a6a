import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { readForm, TestBrowser } from '../../../../test/support/index.js';
import { SoftAuthenticator, type Tampering } from '../../../../test/support/soft-authenticator.js';
import { createLoginTenant, PASSWORD, REDIRECT_URI, startClockedServer } from '../login-throttling/login-throttling.fixture.js';
import type { ClockedServer, LoginTenant } from '../login-throttling/login-throttling.fixture.js';
import { alertText, hasPasskeyForm, passkeyForm } from './passkey-pages.js';

const MFA = 'urn:gatehouse:acr:mfa';
const POLICY = { lockoutThreshold: 20, lockoutSeconds: 120, loginAttemptsPerIpPerMinute: 1000 };

interface Page {
  readonly html: string;
  readonly url: string;
  readonly status: number;
}

/** Passkeys on the real pages over HTTP (docs/adr/0010), with a software authenticator playing the browser's. */
describe('passkeys', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  let passwordless: LoginTenant;
  let authenticator: SoftAuthenticator;

  before(async () => {
    server = await startClockedServer();
    tenant = await createLoginTenant(server, POLICY, ['pia', 'ray']);
    passwordless = await createLoginTenant(server, POLICY, ['sam']);
    // Before any request: no cache holds the tenant yet.
    const stored = await server.admin.tenants.get(passwordless.slug);
    await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(stored.id, stored.updatedAt, {
      passkeyLogin: 'passwordless',
    });
    authenticator = new SoftAuthenticator({ origin: server.origin, rpId: '127.0.0.1' });
  });
  after(async () => {
    await server?.close();
  });

  interface Started {
    readonly browser: TestBrowser;
    readonly verifier: string;
    readonly page: Page;
  }

  async function authorize(on: LoginTenant, browser = new TestBrowser(), acrValues?: string): Promise<Started> {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${server.origin}/t/${on.slug}/authorize`);
    for (const [name, value] of Object.entries({
      client_id: on.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 'st-1',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(acrValues ? { acr_values: acrValues } : {}),
    }))
      url.searchParams.set(name, value);
    const followed = await browser.follow(await browser.get(url.toString()), server.origin);
    return { browser, verifier, page: { html: await followed.response.text(), url: followed.url, status: followed.response.status } };
  }

  /** The password on the login page, then the page it leads to. */
  async function password(started: Started, username: string): Promise<Page> {
    const form = readForm(started.page.html, started.page.url);
    const response = await started.browser.postForm(form.action, { ...form.hidden, username, password: PASSWORD });
    assert.equal(response.status, 303);
    const followed = await started.browser.follow(response, server.origin);
    return { html: await followed.response.text(), url: followed.url, status: followed.response.status };
  }

  async function ceremony(started: Started, page: Page, tamper: Tampering = {}, device = authenticator): Promise<Response> {
    const form = passkeyForm(page.html, page.url);
    const response = form.ceremony === 'register' ? device.register(form.options, tamper) : device.authenticate(form.options, tamper);
    return started.browser.postForm(form.action, { csrf: form.csrf, response: JSON.stringify(response) });
  }

  async function claimsAt(on: LoginTenant, response: Response, verifier: string): Promise<Record<string, unknown>> {
    assert.equal(response.status, 303, await response.clone().text());
    const location = response.headers.get('location') ?? '';
    assert.ok(location.startsWith(REDIRECT_URI), `landed at ${location}`);
    const token = await fetch(`${server.origin}/t/${on.slug}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(location).searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        client_id: on.clientId,
        code_verifier: verifier,
      }),
    });
    assert.equal(token.status, 200);
    return decodeJwt(((await token.json()) as { id_token: string }).id_token);
  }

  async function events(on: LoginTenant, type: string) {
    const stored = await server.admin.tenants.get(on.slug);
    const all = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(stored.id, 1000);
    return all.filter((event) => event.type === type);
  }

  /** A second-factor page of `username`, after the password. */
  async function atSecondFactor(username: string): Promise<Started> {
    const started = await authorize(tenant);
    const page = await password(started, username);
    assert.equal(page.status, 200);
    return { ...started, page };
  }

  it('serves the ceremony script same-origin; the pages keep their nonce-only CSP', async () => {
    const script = await fetch(`${server.origin}/t/${tenant.slug}/assets/passkey.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await script.text(), /navigator\.credentials\.get/);
    const started = await authorize(tenant, new TestBrowser(), MFA);
    const page = await password(started, 'pia');
    assert.ok(hasPasskeyForm(page.html), 'the enrolment page offers a passkey');
    const nonce = page.html.match(/<style nonce="([^"]+)">/)?.[1] ?? '';
    assert.ok(page.html.includes(`<script src="/t/${tenant.slug}/assets/passkey.js" nonce="${nonce}" defer></script>`));
  });

  it('enrols a passkey instead of TOTP (acr_values=mfa): amr pwd+hwk+mfa, acr mfa, audited', async () => {
    const started = await authorize(tenant, new TestBrowser(), MFA);
    const page = await password(started, 'pia');
    const claims = await claimsAt(tenant, await ceremony(started, page), started.verifier);
    assert.deepEqual(claims['amr'], ['pwd', 'hwk', 'mfa']);
    assert.equal(claims['acr'], MFA);
    const enrolled = await events(tenant, 'mfa.enrolled');
    assert.equal(enrolled.at(-1)?.details?.['method'], 'passkey');
  });

  it('a user with a passkey gives it after the password; without TOTP the page has no code field', async () => {
    const started = await atSecondFactor('pia');
    assert.match(started.page.html, /<h1>Verify it is you<\/h1>/);
    assert.doesNotMatch(started.page.html, /name="code"/);
    const form = passkeyForm(started.page.html, started.page.url);
    assert.equal(form.ceremony, 'authenticate');
    assert.equal((form.options['allowCredentials'] as unknown[]).length, 1);
    const claims = await claimsAt(tenant, await ceremony(started, started.page), started.verifier);
    assert.deepEqual(claims['amr'], ['pwd', 'hwk', 'mfa']);
    const verified = await events(tenant, 'mfa.verified');
    assert.equal(verified.at(-1)?.details?.['method'], 'passkey');
  });

  for (const [name, tamper, reason] of [
    ['another origin', { origin: 'http://evil.example.test' }, 'wrong_origin'],
    ['another RP ID', { rpId: 'evil.example.test' }, 'wrong_rp_id'],
    ['a counter that went back (a cloned authenticator)', { counter: 1 }, 'counter_not_increased'],
  ] as const) {
    it(`refuses an assertion from ${name}, counted like a wrong code`, async () => {
      const before = (await server.admin.users.get(tenant.slug, 'pia')).failedLoginCount;
      const started = await atSecondFactor('pia');
      const response = await ceremony(started, started.page, tamper);
      assert.equal(response.status, 401);
      const html = await response.text();
      assert.match(alertText(html) ?? '', /could not be verified/);
      assert.ok(hasPasskeyForm(html), 'offered again, with a new challenge');
      assert.equal((await server.admin.users.get(tenant.slug, 'pia')).failedLoginCount, before + 1);
      const failed = await events(tenant, 'mfa.failed');
      assert.deepEqual([failed.at(-1)?.details?.['method'], failed.at(-1)?.details?.['reason']], ['passkey', reason]);
    });
  }

  it('a challenge is used once: a refused post burns it, and a replayed response is refused', async () => {
    const started = await atSecondFactor('pia');
    const form = passkeyForm(started.page.html, started.page.url);
    const wrong = authenticator.authenticate(form.options, { origin: 'http://evil.example.test' });
    assert.equal((await started.browser.postForm(form.action, { csrf: form.csrf, response: JSON.stringify(wrong) })).status, 401);
    const right = authenticator.authenticate(form.options);
    const replayed = await started.browser.postForm(form.action, { csrf: form.csrf, response: JSON.stringify(right) });
    assert.equal(replayed.status, 401);
    assert.equal((await events(tenant, 'mfa.failed')).at(-1)?.details?.['reason'], 'unknown_challenge');

    const next = await atSecondFactor('pia');
    const accepted = authenticator.authenticate(passkeyForm(next.page.html, next.page.url).options);
    const nextForm = passkeyForm(next.page.html, next.page.url);
    await claimsAt(
      tenant,
      await next.browser.postForm(nextForm.action, { csrf: nextForm.csrf, response: JSON.stringify(accepted) }),
      next.verifier,
    );
    // The same response again, on another sign-in: its challenge is not that sign-in's.
    const again = await atSecondFactor('pia');
    const againForm = passkeyForm(again.page.html, again.page.url);
    assert.equal(
      (await again.browser.postForm(againForm.action, { csrf: againForm.csrf, response: JSON.stringify(accepted) })).status,
      401,
    );
  });

  it('refuses junk, a missing CSRF token and a post in the wrong state without a 500', async () => {
    const started = await atSecondFactor('pia');
    const form = passkeyForm(started.page.html, started.page.url);
    for (const response of ['', 'null', '{"id":"x","response":{}}', '{"id":"x","response":{"clientDataJSON":"!!"}}', 'x'.repeat(40_000)]) {
      const result = await started.browser.postForm(form.action, { csrf: form.csrf, response });
      assert.ok([401, 429].includes(result.status), `status ${result.status} for ${response.slice(0, 30)}`);
    }
    assert.equal((await started.browser.postForm(form.action, { response: '{}' })).status, 403);
    const enrol = form.action.replace('/second-factor/passkey', '/enrol/passkey');
    assert.equal((await started.browser.postForm(enrol, { csrf: form.csrf, response: '{}' })).status, 403);
    const json = await started.browser.postForm(form.action.replace('/second-factor/passkey', '/login/passkey'), { csrf: form.csrf });
    assert.equal(json.status, 403, 'passwordless is not allowed in this tenant');
  });

  it('passwordless, where the tenant allows it: a discoverable passkey with user verification, amr hwk+user+mfa', async () => {
    const device = new SoftAuthenticator({ origin: server.origin, rpId: '127.0.0.1' });
    const enrolling = await authorize(passwordless, new TestBrowser(), MFA);
    const enrolPage = await password(enrolling, 'sam');
    assert.equal(
      passkeyForm(enrolPage.html, enrolPage.url).options['authenticatorSelection'] &&
        (passkeyForm(enrolPage.html, enrolPage.url).options['authenticatorSelection'] as Record<string, unknown>)['residentKey'],
      'required',
    );
    await claimsAt(passwordless, await ceremony(enrolling, enrolPage, {}, device), enrolling.verifier);

    const started = await authorize(passwordless);
    assert.match(started.page.html, /Sign in with a passkey/);
    const form = passkeyForm(started.page.html, started.page.url);
    assert.deepEqual(form.options['allowCredentials'] ?? [], []);
    assert.equal(form.options['userVerification'], 'required');
    const claims = await claimsAt(passwordless, await ceremony(started, started.page, {}, device), started.verifier);
    assert.deepEqual(claims['amr'], ['hwk', 'user', 'mfa']);
    assert.equal(claims['acr'], MFA);
    // Scored like a password login (the risk policy can block it), recorded with the sign-in.
    const succeeded = (await events(passwordless, 'login.succeeded')).at(-1)?.details ?? {};
    assert.deepEqual(succeeded['amr'], ['hwk', 'user', 'mfa']);
    assert.equal((succeeded['risk_decision'] as Record<string, unknown> | undefined)?.['outcome'], 'complete');

    // An authenticator that did not verify the user is refused.
    const unverified = new SoftAuthenticator({ origin: server.origin, rpId: '127.0.0.1', userVerification: false });
    unverified.credentials.push(...device.credentials);
    const again = await authorize(passwordless);
    const refused = await ceremony(again, again.page, {}, unverified);
    assert.equal(refused.status, 401);
    assert.match(alertText(await refused.text()) ?? '', /could not be verified/);
    assert.equal((await events(passwordless, 'login.failed')).at(-1)?.details?.['reason'], 'user_not_verified');
  });

  it('the security page lists, adds and removes passkeys with CSRF-protected forms; an admin reset removes them all', async () => {
    const anonymous = await new TestBrowser().get(`${server.origin}/t/${tenant.slug}/account/security`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-security-policy') ?? '', /script-src 'nonce-/);

    const device = new SoftAuthenticator({ origin: server.origin, rpId: '127.0.0.1', backupEligible: true });
    const started = await authorize(tenant);
    const signedIn = await password(started, 'ray');
    assert.equal(signedIn.status, 303, 'ray has no factor: signed in, on the way to the client');
    const securityUrl = `${server.origin}/t/${tenant.slug}/account/security`;
    const load = async (): Promise<Page> => {
      const response = await started.browser.get(securityUrl);
      return { html: await response.text(), url: securityUrl, status: response.status };
    };
    let page = await load();
    assert.equal(page.status, 200);
    assert.match(page.html, /You have no passkeys yet/);
    assert.match(page.html, /<p id="totp-status">Not set up<\/p>/);

    const form = passkeyForm(page.html, page.url);
    const added = await started.browser.postForm(form.action, {
      csrf: form.csrf,
      name: 'Phone',
      response: JSON.stringify(device.register(form.options)),
    });
    assert.equal(added.status, 303);
    assert.equal(added.headers.get('location'), `/t/${tenant.slug}/account/security?done=added`);
    page = await load();
    assert.match(page.html, /<strong>Phone<\/strong> \(synced\)/);
    const removeAction = page.html.match(/action="([^"]+\/passkeys\/[0-9a-f-]{36}\/remove)"/)?.[1] ?? '';
    assert.ok(removeAction);

    // Another browser's token, or none: refused, nothing removed.
    assert.equal((await started.browser.postForm(`${server.origin}${removeAction}`, { csrf: 'forged' })).status, 403);
    const stranger = await new TestBrowser().postForm(`${server.origin}${removeAction}`, { csrf: form.csrf });
    assert.equal(stranger.status, 401);
    assert.match(await (await started.browser.get(securityUrl)).text(), /<strong>Phone<\/strong>/);

    const removed = await started.browser.postForm(`${server.origin}${removeAction}`, { csrf: form.csrf });
    assert.equal(removed.headers.get('location'), `/t/${tenant.slug}/account/security?done=removed`);
    assert.match((await load()).html, /You have no passkeys yet/);
    assert.equal((await events(tenant, 'passkey.removed')).length, 1);

    // The next sign-in of a user with a passkey asks for it; an admin reset removes it.
    const again = passkeyForm((await load()).html, securityUrl);
    await started.browser.postForm(again.action, { csrf: again.csrf, response: JSON.stringify(device.register(again.options)) });
    assert.match((await atSecondFactor('ray')).page.html, /Verify it is you/);
    assert.deepEqual(await server.admin.users.resetFactors(tenant.slug, 'ray', 'test'), { removed: true });
    const afterReset = await authorize(tenant);
    const form2 = readForm(afterReset.page.html, afterReset.page.url);
    const response = await afterReset.browser.postForm(form2.action, { ...form2.hidden, username: 'ray', password: PASSWORD });
    assert.ok(response.headers.get('location')?.startsWith(REDIRECT_URI), 'a password alone again');
  });
});
