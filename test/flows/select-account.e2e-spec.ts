import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { readForm, startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://client.example.test/callback';

/** OIDC Core §3.1.2.1 prompt=select_account: the login page offers the account signed in, or another one. */
describe('prompt=select_account', () => {
  let server: RunningAuthorizationServer;
  let slug: string;
  let clientId: string;

  before(async () => {
    server = await startAuthorizationServer();
    slug = uniqueSlug('select');
    await server.admin.tenants.create(slug, 'Select Corp');
    for (const username of ['alice', 'bob']) await server.admin.users.create({ tenant: slug, username, password: PASSWORD });
    const { client } = await server.admin.clients.create({
      tenant: slug,
      name: 'Console',
      public: true,
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      scope: 'openid',
    });
    clientId = client.clientId;
  });
  after(async () => {
    await server?.close();
  });

  async function authorize(browser: TestBrowser, prompt?: string): Promise<{ response: Response; url: string; verifier: string }> {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${server.origin}/t/${slug}/authorize`);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (prompt) url.searchParams.set('prompt', prompt);
    return { ...(await browser.follow(await browser.get(url.toString()), server.origin)), verifier };
  }

  async function subjectOf(location: string | null, verifier: string): Promise<string> {
    assert.ok(location?.startsWith(REDIRECT_URI), `landed at ${location}`);
    const response = await fetch(`${server.origin}/t/${slug}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(location ?? '').searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        code_verifier: verifier,
      }),
    });
    assert.equal(response.status, 200);
    return String(decodeJwt(((await response.json()) as { id_token: string }).id_token).sub);
  }

  /** Continue-as is its own form, before the password form; readForm reads the first one. */
  function forms(html: string, url: string): { continueAs?: { action: string; csrf: string }; login: ReturnType<typeof readForm> } {
    const chooser =
      /<form method="post" action="([^"]+\/continue-as)" class="account-choice">\s*<input type="hidden" name="csrf" value="([^"]+)">/.exec(
        html,
      );
    const loginHtml = html.slice(html.indexOf('<form method="post" action="', chooser ? html.indexOf('</form>') : 0));
    return {
      ...(chooser ? { continueAs: { action: new URL(chooser[1] ?? '', url).toString(), csrf: chooser[2] ?? '' } } : {}),
      login: readForm(loginHtml, url),
    };
  }

  async function signedInBrowser(username: string): Promise<{ browser: TestBrowser; sub: string }> {
    const browser = new TestBrowser();
    const started = await authorize(browser);
    const { login } = forms(await started.response.text(), started.url);
    const done = await browser.postForm(login.action, { ...login.hidden, username, password: PASSWORD });
    return { browser, sub: await subjectOf(done.headers.get('location'), started.verifier) };
  }

  it('with a session, the login page offers "Continue as alice"; choosing it issues a code for alice without a password', async () => {
    const { browser, sub } = await signedInBrowser('alice');
    const sso = await authorize(browser);
    assert.ok(sso.url.startsWith(REDIRECT_URI), 'without the prompt the session signs in silently');

    const chooser = await authorize(browser, 'select_account');
    assert.equal(chooser.response.status, 200);
    const html = await chooser.response.text();
    assert.match(html, /<button type="submit">Continue as alice<\/button>/);
    assert.match(html, /Or sign in with another account:/);
    const { continueAs } = forms(html, chooser.url);
    assert.ok(continueAs);
    const chosen = await browser.postForm(continueAs.action, { csrf: continueAs.csrf });
    assert.equal(chosen.status, 303);
    assert.equal(await subjectOf(chosen.headers.get('location'), chooser.verifier), sub);

    const again = await browser.postForm(continueAs.action, { csrf: continueAs.csrf });
    assert.equal(again.status, 409, 'the choice cannot be submitted twice');
  });

  it('another account: its password signs in as that account instead', async () => {
    const { browser, sub: alice } = await signedInBrowser('alice');
    const chooser = await authorize(browser, 'select_account');
    const { login } = forms(await chooser.response.text(), chooser.url);
    const done = await browser.postForm(login.action, { ...login.hidden, username: 'bob', password: PASSWORD });
    assert.equal(done.status, 303);
    const bob = await subjectOf(done.headers.get('location'), chooser.verifier);
    assert.notEqual(bob, alice);
    assert.equal(bob, (await server.admin.users.get(slug, 'bob')).id);
  });

  it('a wrong password for another account keeps the offer on the page', async () => {
    const { browser } = await signedInBrowser('alice');
    const chooser = await authorize(browser, 'select_account');
    const { login } = forms(await chooser.response.text(), chooser.url);
    const refused = await browser.postForm(login.action, { ...login.hidden, username: 'bob', password: 'wrong' });
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /Continue as alice/);
  });

  it('without a session it is the plain login page', async () => {
    const page = await authorize(new TestBrowser(), 'select_account');
    assert.equal(page.response.status, 200);
    const html = await page.response.text();
    assert.doesNotMatch(html, /continue-as/);
    assert.match(html, /name="password"/);
  });

  it('refuses the choice without the form token, or once the session has ended', async () => {
    const { browser } = await signedInBrowser('alice');
    const chooser = await authorize(browser, 'select_account');
    const { continueAs } = forms(await chooser.response.text(), chooser.url);
    assert.ok(continueAs);
    assert.equal((await browser.postForm(continueAs.action, { csrf: 'forged' })).status, 403);

    const user = await server.admin.users.get(slug, 'alice');
    await server.infrastructure.persistence.repositories.sessions.endAllForUser(user.tenantId, user.id, new Date());
    const ended = await browser.postForm(continueAs.action, { csrf: continueAs.csrf });
    assert.equal(ended.status, 400);
    assert.doesNotMatch(ended.headers.get('location') ?? '', /code=/);
  });
});
