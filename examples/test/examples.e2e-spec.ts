import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OAuthClient } from '@gatehouse/oauth-client';
import { readForm, TestBrowser, type RunningAuthorizationServer } from '../../test/support/index.js';
import { API_IDENTIFIER, PASSWORD, startExamples, type RunningExamples } from './examples.fixture.js';

/** Issue 16: the two examples against a real Gatehouse, used the way a person would: sign in, see orders. */
describe(
  'examples: the web client signs in with Gatehouse and calls the protected API',
  { skip: !process.env['DATABASE_URL'] && 'needs DATABASE_URL' },
  () => {
    let examples: RunningExamples;
    let gatehouse: RunningAuthorizationServer;
    let apiUrl: string;
    let webOrigin: string;
    let machine: RunningExamples['machine'];
    let slug: string;
    before(async () => {
      examples = await startExamples();
      ({ gatehouse, apiUrl, webOrigin, machine, slug } = examples);
    });
    after(async () => examples?.close());

    /** From the web client's /login to its /callback: Gatehouse's sign-in and consent pages in between. */
    async function signIn(browser: TestBrowser, password = PASSWORD): Promise<Response> {
      const login = await browser.get(`${webOrigin}/login`);
      assert.equal(login.status, 303);
      const toGatehouse = login.headers.get('location') ?? '';
      assert.ok(toGatehouse.startsWith(gatehouse.issuer(slug)), toGatehouse);
      const started = await browser.follow(await browser.get(toGatehouse), gatehouse.origin);
      const form = readForm(await started.response.text(), started.url);
      return browser.postForm(form.action, { ...form.hidden, username: 'alice', password });
    }

    it('a wrong password stays on the sign-in page; the right one, then consent, lands signed in; the orders come from the API', async () => {
      const browser = new TestBrowser();
      const typo = await browser.follow(await signIn(browser, 'correct horse battery stapel'), gatehouse.origin);
      const typoPage = await typo.response.text();
      assert.match(typoPage, /password/i);
      const again = readForm(typoPage, typo.url);
      const signedIn = await browser.follow(
        await browser.postForm(again.action, { ...again.hidden, username: 'alice', password: PASSWORD }),
        gatehouse.origin,
      );
      const consent = readForm(await signedIn.response.text(), signedIn.url);
      const back = await browser.follow(await browser.postForm(consent.action, { ...consent.hidden, decision: 'allow' }), gatehouse.origin);
      assert.ok(back.url.startsWith(`${webOrigin}/callback?`), back.url);

      const callback = await browser.get(back.url);
      assert.equal(callback.status, 303, await callback.clone().text());
      const home = await browser.get(`${webOrigin}/`);
      assert.match(await home.text(), /Signed in as/);
      const orders = await browser.get(`${webOrigin}/orders`);
      const html = await orders.text();
      assert.equal(orders.status, 200, html);
      assert.match(html, /The API answered 200/);
      assert.match(html, /A-1001/);

      const forcedLogout = await browser.get(`${webOrigin}/logout`);
      assert.equal(forcedLogout.status, 405, 'a link elsewhere cannot sign the person out');
      assert.match(await (await browser.get(`${webOrigin}/`)).text(), /Signed in as/);

      const replayed = await browser.get(back.url);
      assert.equal(replayed.status, 400, 'the callback is used once');
      assert.match(await replayed.text(), /No sign-in was started/);
    });

    it('a callback with a forged state is refused by the web client', async () => {
      const browser = new TestBrowser();
      await browser.get(`${webOrigin}/login`);
      const forged = await browser.get(`${webOrigin}/callback?code=stolen&state=forged&iss=${encodeURIComponent(gatehouse.issuer(slug))}`);
      assert.equal(forged.status, 400);
      assert.match(await forged.text(), /state_mismatch/);
    });

    it('the API alone: no token is a 401 naming its metadata (RFC 9728); a token with only orders:write is 403', async () => {
      const bare = await fetch(`${apiUrl}/orders`);
      assert.equal(bare.status, 401);
      assert.match(
        bare.headers.get('www-authenticate') ?? '',
        /resource_metadata="https:\/\/orders\.example\.test\/\.well-known\/oauth-protected-resource"/,
      );
      const metadata = (await (await fetch(`${apiUrl}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
      assert.deepEqual(metadata['authorization_servers'], [gatehouse.issuer(slug)]);
      const service = new OAuthClient({
        issuer: gatehouse.issuer(slug),
        clientId: machine.clientId,
        authentication: { method: 'client_secret_basic', clientSecret: machine.secret },
      });
      const tokens = await service.clientCredentials({ resource: API_IDENTIFIER, scope: 'orders:write' });
      const refused = await service.fetchWithToken(`${apiUrl}/orders`, tokens);
      assert.equal(refused.status, 403);
      assert.match(refused.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    });
  },
);
