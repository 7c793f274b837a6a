import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import type { Tenant } from '@gatehouse/persistence';
import { readForm, startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';
import { signIn } from '../../apps/authorization/test/flow/code-flow.fixture.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://client.example.test/callback';
const API_A = 'https://alpha.example.test/api';
const API_B = 'https://beta.example.test/api';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

/**
 * Issue 10, item 5: consent ignored the API. Two APIs of one tenant both define `read`; consent to
 * `read` at API A must not let a request for `read` at API B through without asking the user.
 */
describe('security item 5: consent is per API and scope', () => {
  let server: RunningAuthorizationServer;
  let slug: string;
  let tenant: Tenant;
  let as: oauth.AuthorizationServer;
  let client: oauth.Client;
  let auth: oauth.ClientAuth;
  let alice: string;
  const browser = new TestBrowser();

  before(async () => {
    server = await startAuthorizationServer();
    slug = uniqueSlug('item5');
    const { admin } = server;
    await admin.tenants.create(slug, 'Consent Corp');
    await admin.users.create({ tenant: slug, username: 'alice', password: PASSWORD });
    await admin.users.create({ tenant: slug, username: 'bob', password: PASSWORD });
    await admin.apis.create({ tenant: slug, identifier: API_A, scope: 'read write', name: 'Alpha Orders' });
    await admin.apis.create({ tenant: slug, identifier: API_B, scope: 'read', name: 'Beta Payroll' });
    const web = await admin.clients.create({ tenant: slug, name: 'Web App', redirectUris: [REDIRECT_URI], scope: 'openid profile read' });
    client = { client_id: web.client.clientId };
    auth = oauth.ClientSecretBasic(web.clientSecret ?? '');
    const found = await server.infrastructure.persistence.repositories.tenants.findBySlug(slug);
    assert.ok(found);
    tenant = found;
    const issuer = server.issuer(slug);
    as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oidc', ...insecure }),
    );
    const user = await server.infrastructure.persistence.repositories.users.findByUsername(tenant.id, 'alice');
    assert.ok(user);
    alice = user.id;
  });
  after(async () => {
    await server?.close();
  });

  interface Request {
    readonly url: string;
    readonly state: string;
    readonly verifier: string;
  }

  async function authorizeRequest(scope: string, resource: string | undefined, extra: Record<string, string> = {}): Promise<Request> {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint ?? '');
    url.searchParams.set('client_id', client.client_id);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (resource) url.searchParams.set('resource', resource);
    for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
    return { url: url.toString(), state, verifier };
  }

  async function redeem(request: Request, landedAt: string): Promise<oauth.TokenEndpointResponse> {
    assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
    const callback = oauth.validateAuthResponse(as, client, new URL(landedAt), request.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT_URI, request.verifier, insecure);
    return oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
  }

  /** Codes issued in this tenant so far: each is audited as `authorization.requested`. */
  async function codesIssued(): Promise<number> {
    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(tenant.id, 10_000);
    return events.filter((event) => event.type === 'authorization.requested').length;
  }

  const grants = (userId = alice) =>
    server.infrastructure.persistence.repositories.consents.findGrants(tenant.id, userId, client.client_id);

  it('consent to read at API A is asked on a page naming API A, and its token is for API A only', async () => {
    const request = await authorizeRequest('openid read', API_A);
    const { landedAt, pages } = await signIn(browser, server.origin, request.url, { username: 'alice', password: PASSWORD });
    assert.equal(pages.length, 2, 'a login page, then a consent page');
    const consentPage = pages[1] ?? '';
    assert.ok(consentPage.includes(`<h2>At Alpha Orders: <code>${API_A}</code></h2>`), 'the consent page names API A');
    assert.ok(!consentPage.includes(API_B) && !consentPage.includes('Beta Payroll'), 'and not API B');

    const tokens = await redeem(request, landedAt);
    const access = decodeJwt(tokens.access_token);
    assert.equal(access.aud, API_A, "the token carries only API A's audience");
    assert.equal(access['scope'], 'openid read');
    assert.deepEqual(await grants(), [
      { resource: null, scopes: ['openid'] },
      { resource: API_A, scopes: ['read'] },
    ]);
  });

  it('the same browser asking again for read at API A needs no page: the consent is remembered for A', async () => {
    const request = await authorizeRequest('openid read', API_A);
    const { landedAt, pages } = await signIn(browser, server.origin, request.url);
    assert.equal(pages.length, 0);
    assert.equal(decodeJwt((await redeem(request, landedAt)).access_token).aud, API_A);
  });

  it('ATTACK: read at API B, silently covered before, now shows the consent page for API B and issues no code', async () => {
    const issued = await codesIssued();
    const request = await authorizeRequest('openid read', API_B);
    const step = await browser.follow(await browser.get(request.url), server.origin);
    assert.ok(step.url.startsWith(server.origin), `the browser stays on the server (was sent to ${step.url})`);
    assert.equal(step.response.status, 200);
    const page = await step.response.text();
    assert.match(page, /name="decision" value="allow"/, 'a consent page');
    assert.ok(page.includes(`<h2>At Beta Payroll: <code>${API_B}</code></h2>`), 'naming API B');
    assert.ok(!page.includes(API_A), 'and nothing of API A');
    assert.equal(await codesIssued(), issued, 'no code was issued');
    assert.deepEqual(
      (await grants()).map((entry) => entry.resource),
      [null, API_A],
      'nothing was granted for API B',
    );

    // Refusing it leaves it so: access_denied, still no code, still no consent for B.
    const form = readForm(page, step.url);
    const denied = await browser.follow(await browser.postForm(form.action, { ...form.hidden, decision: 'deny' }), server.origin);
    assert.ok(denied.url.startsWith(REDIRECT_URI));
    assert.equal(new URL(denied.url).searchParams.get('error'), 'access_denied');
    assert.equal(new URL(denied.url).searchParams.get('code'), null);
    assert.equal(await codesIssued(), issued);
    assert.deepEqual(
      (await grants()).map((entry) => entry.resource),
      [null, API_A],
    );
  });

  it('ATTACK with prompt=none: read at API B is consent_required, not a code', async () => {
    const issued = await codesIssued();
    const request = await authorizeRequest('openid read', API_B, { prompt: 'none' });
    const step = await browser.follow(await browser.get(request.url), server.origin);
    const landed = new URL(step.url);
    assert.equal(`${landed.origin}${landed.pathname}`, REDIRECT_URI);
    assert.equal(landed.searchParams.get('error'), 'consent_required');
    assert.equal(landed.searchParams.get('code'), null);
    assert.equal(await codesIssued(), issued);
  });

  it('consenting at API B then yields a token for API B alone, and consent for A stays as it was', async () => {
    const request = await authorizeRequest('openid read', API_B);
    const { landedAt, pages } = await signIn(browser, server.origin, request.url);
    assert.equal(pages.length, 1, 'only the consent page (signed in already)');
    const access = decodeJwt((await redeem(request, landedAt)).access_token);
    assert.equal(access.aud, API_B);
    assert.equal(access['scope'], 'openid read');
    assert.deepEqual(await grants(), [
      { resource: null, scopes: ['openid'] },
      { resource: API_A, scopes: ['read'] },
      { resource: API_B, scopes: ['read'] },
    ]);
  });

  it('a consent recorded before consent was per API (read under no API) covers no API', async () => {
    const bob = await server.infrastructure.persistence.repositories.users.findByUsername(tenant.id, 'bob');
    assert.ok(bob);
    // What the old code stored after a consent to `openid read` at some API: no word of which API.
    await server.infrastructure.persistence.repositories.consents.grant(
      tenant.id,
      bob.id,
      client.client_id,
      ['openid', 'read'],
      new Date(),
    );
    const issued = await codesIssued();
    const bobsBrowser = new TestBrowser();
    const request = await authorizeRequest('openid read', API_A);
    const { landedAt, pages } = await signIn(bobsBrowser, server.origin, request.url, { username: 'bob', password: PASSWORD }, 'deny');
    assert.equal(pages.length, 2, 'login, then the consent page again');
    assert.ok((pages[1] ?? '').includes(`<h2>At Alpha Orders: <code>${API_A}</code></h2>`));
    assert.equal(new URL(landedAt).searchParams.get('error'), 'access_denied');
    assert.equal(await codesIssued(), issued);
    assert.deepEqual(await grants(bob.id), [{ resource: null, scopes: ['openid', 'read'] }], 'unchanged');
  });
});
