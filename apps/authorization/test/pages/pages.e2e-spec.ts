import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import {
  readForm,
  startAuthorizationServer,
  TestBrowser,
  uniqueSlug,
  type RunningAuthorizationServer,
} from '../../../../test/support/index.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://portal.acme.test/callback';
const LOGO = 'https://cdn.acme.test/logo.png';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request as a browser without Fetch Metadata or an HTTP library sends it: node's fetch always says Sec-Fetch-Mode: cors. */
function rawGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return rawRequest(url, { headers });
}

function rawRequest(url: string, init: RequestInit): Promise<RawResponse> {
  const headers = (init.headers ?? {}) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: init.method ?? 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(typeof init.body === 'string' ? init.body : undefined);
  });
}

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** The end-user pages over real HTTP: one browser, one submission after another, as a person uses them. */
describe('end-user pages', () => {
  let server: RunningAuthorizationServer;
  let tenant: string;
  let clientId: string;

  before(async () => {
    server = await startAuthorizationServer();
    tenant = uniqueSlug('pages');
    await server.admin.tenants.create(tenant, 'Acme');
    const created = await server.admin.tenants.get(tenant);
    await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(created.id, created.updatedAt, {
      branding: { pageTitle: 'Acme Login', primaryColor: '#ffcc00', logoUri: LOGO, supportUri: 'mailto:help@acme.test' },
    });
    await server.admin.users.create({ tenant, username: 'ann', password: PASSWORD });
    const { client } = await server.admin.clients.create({
      tenant,
      name: 'Acme Portal',
      public: true,
      redirectUris: [REDIRECT_URI],
      scope: 'openid profile',
      firstParty: true,
    });
    clientId = client.clientId;
    const stored = await server.infrastructure.persistence.repositories.clients.findByClientId(created.id, clientId);
    assert.ok(stored);
    await server.infrastructure.persistence.repositories.clients.updateIfUnchanged(created.id, clientId, stored.updatedAt, {
      clientUri: 'https://portal.acme.test/home',
      policyUri: 'https://portal.acme.test/privacy',
    });
  });
  after(async () => {
    await server?.close();
  });

  async function authorizationUrl(extra: Record<string, string> = {}): Promise<string> {
    const url = new URL(`${server.issuer(tenant)}/authorize`);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', 'openid profile');
    url.searchParams.set('state', 'st-1');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()));
    url.searchParams.set('code_challenge_method', 'S256');
    for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
    return url.toString();
  }

  async function openLogin(browser: TestBrowser, extra: Record<string, string> = {}): Promise<{ html: string; url: string }> {
    const page = await browser.follow(await browser.get(await authorizationUrl(extra)), server.origin);
    assert.equal(page.response.status, 200);
    return { html: await page.response.text(), url: page.url };
  }

  it('/ is a small page saying what the server is, with the strict page headers, not OAuth JSON', async () => {
    const response = await rawGet(`${server.origin}/`, HTML);
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(response.body, /<h1>Gatehouse authorization server<\/h1>/);
    assert.ok(response.body.includes(`${server.origin}/t/{tenant}/.well-known/openid-configuration`), response.body);
    const program = await fetch(`${server.origin}/`, { method: 'POST' });
    assert.equal(program.status, 404, 'only GET / is a page');
  });

  it('a wrong password, then the right one in the same page, ends with a code at the client', async () => {
    const browser = new TestBrowser();
    const login = await openLogin(browser);
    const first = readForm(login.html, login.url);
    assert.match(new URL(first.action).pathname, new RegExp(`^/t/${tenant}/interaction/[A-Za-z0-9_-]{43}/login$`));
    const failed = await browser.postForm(first.action, { ...first.hidden, username: 'ann', password: 'typo' });
    assert.equal(failed.status, 401);
    // The next submission's action is read from the failed page at the POST's own URL, as a browser resolves it.
    const retry = readForm(await failed.text(), first.action);
    assert.equal(retry.action, first.action, 'the form still posts to the same interaction');
    const signedIn = await browser.postForm(retry.action, { ...retry.hidden, username: 'ann', password: PASSWORD });
    assert.equal(signedIn.status, 303);
    const landed = new URL(signedIn.headers.get('location') ?? '');
    assert.equal(`${landed.origin}${landed.pathname}`, REDIRECT_URI);
    assert.ok(landed.searchParams.get('code'));
    assert.equal(landed.searchParams.get('state'), 'st-1');
  });

  it("says what the person signs in to, in the tenant's branding, with the client's links, and allows only that logo's origin", async () => {
    const browser = new TestBrowser();
    const page = await browser.follow(await browser.get(await authorizationUrl()), server.origin);
    const html = await page.response.text();
    assert.ok(html.includes('<h1>Sign in to Acme Login</h1>'));
    assert.ok(html.includes('<p class="lead">to continue to Acme Portal</p>'));
    assert.ok(html.includes(`<img src="${LOGO}" alt="Acme Login">`));
    assert.ok(html.includes('--gh-primary: #ffcc00; --gh-on-primary: #000000;'), 'dark text on a light primary colour');
    assert.ok(html.includes('<a href="https://portal.acme.test/privacy" rel="noopener noreferrer">Privacy policy</a>'));
    assert.ok(html.includes('<a href="mailto:help@acme.test" rel="noopener noreferrer">Help</a>'));
    const csp = page.response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /img-src 'self' data: https:\/\/cdn\.acme\.test;/);
    assert.match(csp, /default-src 'none'/);
    assert.equal(page.response.headers.get('cache-control'), 'no-store');
  });

  it('speaks the language of ui_locales, else of Accept-Language', async () => {
    const german = await openLogin(new TestBrowser(), { ui_locales: 'de-CH en' });
    assert.match(german.html, /<html lang="de">/);
    assert.ok(german.html.includes('<button type="submit">Anmelden</button>'));
    const browser = new TestBrowser();
    browser.headers['accept-language'] = 'fr-FR,fr;q=0.9,en;q=0.5';
    const french = await openLogin(browser);
    assert.match(french.html, /<html lang="fr">/);
    assert.ok(french.html.includes('<button type="submit">Se connecter</button>'));
    const failed = await browser.postForm(readForm(french.html, french.url).action, {
      ...readForm(french.html, french.url).hidden,
      username: 'ann',
      password: 'typo',
    });
    assert.ok((await failed.text()).includes('Nom d&#39;utilisateur ou mot de passe incorrect.'));
  });

  it('an expired sign-in answers an HTML page that links back to the client, never JSON', async () => {
    const browser = new TestBrowser();
    const login = await openLogin(browser);
    const handle = new URL(login.url).pathname.split('/').pop() ?? '';
    await server.infrastructure.database.dataSource.query(
      `UPDATE interactions SET expires_at = now() - interval '1 second' WHERE handle_hash = $1`,
      [hashOpaqueSecret(handle)],
    );
    const expired = await browser.get(login.url);
    assert.equal(expired.status, 400);
    assert.match(expired.headers.get('content-type') ?? '', /^text\/html/);
    const html = await expired.text();
    assert.ok(html.includes('<h1>Sign-in expired</h1>'));
    // Issue 18: plain words for the person, and a details line with the code for the application's support.
    assert.ok(html.includes('<p class="detail">Details: 400 sign_in_expired</p>'), html);
    assert.ok(html.includes('<a href="https://portal.acme.test/home">Return to Acme Portal</a>'));
    const form = readForm(login.html, login.url);
    const posted = await browser.postForm(form.action, { ...form.hidden, username: 'ann', password: PASSWORD });
    assert.equal(posted.status, 400, 'nor can its form still sign in');
    assert.equal(posted.headers.get('location'), null);
  });

  it("a browser navigation that fails under /t/{tenant}/ gets the HTML error page, in the tenant's look and language", async () => {
    const navigate = { ...HTML, 'sec-fetch-mode': 'navigate' };
    const cases: [string, Record<string, string>, number, string][] = [
      [`${server.issuer(tenant)}/no-such-page`, HTML, 404, 'Page not found'],
      [`${server.issuer(tenant)}/no-such-page`, navigate, 404, 'Page not found'],
      [`${server.origin}/t/no-such-tenant-x/authorize?client_id=x`, HTML, 404, 'Unknown address'],
      [`${server.origin}/t/no-such-tenant-x/.well-known/openid-configuration`, navigate, 404, 'Unknown address'],
      [`${server.issuer(tenant)}/userinfo`, navigate, 401, 'Not signed in'],
      [`${server.issuer(tenant)}/authorize?client_id=nobody`, HTML, 400, 'Invalid request'],
    ];
    for (const [url, headers, status, title] of cases) {
      const page = await rawGet(url, headers);
      assert.equal(page.status, status, url);
      assert.match(String(page.headers['content-type']), /^text\/html/, url);
      assert.ok(page.body.includes(`<h1>${title}</h1>`), `${url}: ${page.body.slice(0, 200)}`);
      assert.match(page.body, /<p class="detail">Details: [^<]+<\/p>/, `${url}: a details line`);
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(page.headers['www-authenticate'], undefined, 'no credential prompt in a browser');
    }
    const branded = await rawGet(`${server.issuer(tenant)}/no-such-page?ui_locales=de`, HTML);
    assert.ok(branded.body.includes('<title>Seite nicht gefunden – Acme Login</title>'), "the tenant's page title, in German");
    assert.match(String(branded.headers['vary']), /Accept/);
  });

  it("programs keep their JSON errors whatever their Accept header (Java's default lists text/html first)", async () => {
    const JAVA = { accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' };
    const basic = `Basic ${Buffer.from('nobody:wrong').toString('base64')}`;
    const form = { ...JAVA, 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
    const calls: [string, RequestInit, number][] = [
      [`${server.issuer(tenant)}/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials' }, 401],
      [`${server.issuer(tenant)}/introspect`, { method: 'POST', headers: form, body: 'token=x' }, 401],
      [`${server.issuer(tenant)}/userinfo`, { headers: JAVA }, 401],
      [`${server.issuer(tenant)}/register`, { method: 'POST', headers: { ...JAVA, 'content-type': 'application/json' }, body: '{}' }, 401],
      [`${server.origin}/t/no-such-tenant-x/.well-known/openid-configuration`, { headers: JAVA }, 404],
    ];
    for (const [url, init, status] of calls) {
      const response = await rawRequest(url, init);
      assert.equal(response.status, status, url);
      assert.match(String(response.headers['content-type']), /application\/json/, url);
      assert.equal(typeof (JSON.parse(response.body) as { error?: unknown }).error, 'string', url);
      if (status === 401) assert.ok(response.headers['www-authenticate'], `${url} keeps WWW-Authenticate`);
    }
    // A page's own fetch() asks for HTML yet is no navigation.
    const scripted = await rawGet(`${server.issuer(tenant)}/no-such-page`, { ...HTML, 'sec-fetch-mode': 'cors' });
    assert.match(String(scripted.headers['content-type']), /application\/json/);
    const outside = await rawGet(`${server.origin}/no-such-page`, HTML);
    assert.match(String(outside.headers['content-type']), /application\/json/, 'outside the tenants, JSON as before');
  });
});
