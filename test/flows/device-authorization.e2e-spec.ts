import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { readForm, startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const PASSWORD = 'correct horse battery staple';

interface DeviceStart {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** RFC 8628 end to end: a device asks, a person approves in a browser, the device polls for its tokens (issue 15). */
describe('device authorization grant (RFC 8628)', { skip: !process.env['DATABASE_URL'] && 'needs DATABASE_URL' }, () => {
  let server: RunningAuthorizationServer;
  const slug = uniqueSlug('dev');
  const disabledSlug = uniqueSlug('nodev');
  let tv: string;
  let other: string;

  before(async () => {
    server = await startAuthorizationServer();
    const { admin } = server;
    await admin.tenants.create(slug);
    await admin.tenants.create(disabledSlug);
    const tenant = await admin.tenants.get(slug);
    await admin.tenants.update(slug, tenant, {
      deviceAuthorization: 'enabled',
      devicePollingIntervalSeconds: 1,
      deviceCodeLifetimeSeconds: 60,
    });
    await admin.users.create({ tenant: slug, username: 'alice', password: PASSWORD });
    const device = { public: true, grantTypes: [DEVICE_GRANT, 'refresh_token'], scope: 'openid profile offline_access' };
    tv = (await admin.clients.create({ tenant: slug, name: 'Living room TV', ...device })).client.clientId;
    other = (await admin.clients.create({ tenant: slug, name: 'Other device', ...device })).client.clientId;
  });
  after(async () => server?.close());

  const issuer = (tenant = slug) => server.issuer(tenant);
  const form = (url: string, fields: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });

  async function start(clientId = tv, scope = 'openid profile offline_access'): Promise<DeviceStart> {
    const response = await form(`${issuer()}/device_authorization`, { client_id: clientId, scope });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return (await response.json()) as DeviceStart;
  }

  const poll = (deviceCode: string, clientId = tv) =>
    form(`${issuer()}/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId });
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;
  const wait = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

  /** The person's side: the verification page, sign-in, consent; returns the final page's HTML. */
  async function approve(started: DeviceStart, decision: 'allow' | 'deny', typed = started.user_code): Promise<string> {
    const browser = new TestBrowser();
    const page = await browser.get(started.verification_uri);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const codeForm = readForm(await page.text(), started.verification_uri);
    const submitted = await browser.postForm(codeForm.action, { ...codeForm.hidden, user_code: typed });
    const login = await browser.follow(submitted, server.origin);
    const loginForm = readForm(await login.response.text(), login.url);
    const signedIn = await browser.postForm(loginForm.action, { ...loginForm.hidden, username: 'alice', password: PASSWORD });
    const consent = await browser.follow(signedIn, server.origin);
    const consentHtml = await consent.response.text();
    assert.match(consentHtml, /Living room TV|Other device/, 'the consent names the device asking');
    const consentForm = readForm(consentHtml, consent.url);
    const decided = await browser.postForm(consentForm.action, { ...consentForm.hidden, decision });
    assert.equal(decided.status, 200);
    return decided.text();
  }

  it('device_authorization answers codes as RFC 8628 §3.2 says, and discovery advertises the endpoint and grant', async () => {
    const started = await start();
    assert.match(started.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.ok(started.device_code.length >= 43);
    assert.equal(started.verification_uri, `${issuer()}/device`);
    assert.equal(started.verification_uri_complete, `${issuer()}/device?user_code=${started.user_code}`);
    assert.equal(started.expires_in, 60);
    assert.equal(started.interval, 1);
    const metadata = (await (await fetch(`${issuer()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(metadata['device_authorization_endpoint'], `${issuer()}/device_authorization`);
    assert.ok((metadata['grant_types_supported'] as string[]).includes(DEVICE_GRANT));
  });

  it('pending, then approved in the browser (code typed in lower case without the dash): tokens once, then invalid_grant', async () => {
    const started = await start();
    const pending = await poll(started.device_code);
    assert.equal(pending.status, 400);
    assert.equal(await errorOf(pending), 'authorization_pending');

    const done = await approve(started, 'allow', started.user_code.replace('-', '').toLowerCase());
    assert.match(done, /Your device is connected/);

    await wait(1.1);
    const tokens = await poll(started.device_code);
    assert.equal(tokens.status, 200);
    const body = (await tokens.json()) as {
      access_token: string;
      id_token: string;
      refresh_token?: string;
      token_type: string;
      scope: string;
    };
    assert.equal(body.token_type, 'Bearer');
    assert.ok(body.refresh_token, 'offline_access gives a refresh token');
    assert.equal(decodeJwt(body.id_token)['aud'], tv);
    assert.equal(typeof decodeJwt(body.access_token)['sub'], 'string');

    await wait(1.1);
    const again = await poll(started.device_code);
    assert.equal(again.status, 400);
    assert.equal(await errorOf(again), 'invalid_grant', 'a device code is redeemed once');
  });

  it('a relying-party library (oauth4webapi) runs the flow from discovery: pending, approved, tokens with a valid ID token', async () => {
    const insecure = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      new URL(issuer()),
      await oauth.discoveryRequest(new URL(issuer()), { algorithm: 'oidc', ...insecure }),
    );
    const client: oauth.Client = { client_id: tv };
    const started = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: 'openid profile' }, insecure),
    );
    const redeem = async () =>
      oauth.processDeviceCodeResponse(
        as,
        client,
        await oauth.deviceCodeGrantRequest(as, client, oauth.None(), started.device_code, insecure),
      );
    await assert.rejects(redeem(), (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'authorization_pending');
    await approve(started as unknown as DeviceStart, 'allow');
    await wait(1.1);
    const tokens = await redeem();
    assert.ok(tokens.access_token);
    assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.aud, tv);
  });

  it('denied in the browser: access_denied', async () => {
    const started = await start();
    assert.match(await approve(started, 'deny'), /You denied access/);
    const denied = await poll(started.device_code);
    assert.equal(await errorOf(denied), 'access_denied');
  });

  it('polling faster than the interval is slow_down, and the interval grows by 5 s', async () => {
    const started = await start();
    assert.equal(await errorOf(await poll(started.device_code)), 'authorization_pending');
    const fast = await poll(started.device_code);
    assert.equal(fast.status, 400);
    const body = (await fast.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'slow_down');
    assert.match(body.error_description, /6 seconds/);
    await wait(1.2);
    assert.equal(await errorOf(await poll(started.device_code)), 'slow_down', 'the old interval no longer suffices');
  });

  it("another client's device_code is invalid_grant, and an unknown one too", async () => {
    const started = await start();
    assert.equal(await errorOf(await poll(started.device_code, other)), 'invalid_grant');
    assert.equal(await errorOf(await poll('not-a-device-code')), 'invalid_grant');
  });

  it('a wrong user code is refused on the page, and guessing is rate limited (429 with Retry-After)', async () => {
    const browser = new TestBrowser();
    browser.headers['x-forwarded-for'] = '198.51.100.77';
    const page = await browser.get(`${issuer()}/device`);
    const codeForm = readForm(await page.text(), `${issuer()}/device`);
    const wrong = await browser.postForm(codeForm.action, { ...codeForm.hidden, user_code: 'BCDF-GHJK' });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /not valid or has expired/);
    let last = wrong;
    for (let guess = 0; guess < 12 && last.status !== 429; guess++)
      last = await browser.postForm(codeForm.action, { ...codeForm.hidden, user_code: 'ZZZZ-ZZZZ' });
    assert.equal(last.status, 429);
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
    const forged = await new TestBrowser().postForm(codeForm.action, { user_code: 'BCDF-GHJK' });
    assert.equal(forged.status, 403, 'the form needs the CSRF token bound to the browser');
  });

  it('authorization_details is refused (invalid_authorization_details), not dropped, and nothing is started', async () => {
    const started = async () =>
      Number(
        (
          await server.infrastructure.database.dataSource.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM device_authorizations WHERE client_id = $1`,
            [tv],
          )
        )[0]!.n,
      );
    const before = await started();
    const refused = await form(`${issuer()}/device_authorization`, {
      client_id: tv,
      scope: 'openid',
      authorization_details: JSON.stringify([{ type: 'payment_initiation', instructedAmount: { currency: 'EUR', amount: '1.00' } }]),
    });
    assert.equal(refused.status, 400);
    assert.equal(await errorOf(refused), 'invalid_authorization_details');
    assert.equal(await started(), before);
  });

  it('a tenant without the grant refuses the endpoint and does not advertise it; a client without the grant type is unauthorized_client', async () => {
    const refused = await form(`${issuer(disabledSlug)}/device_authorization`, { client_id: tv });
    assert.equal(refused.status, 400);
    assert.equal(await errorOf(refused), 'invalid_request');
    const metadata = (await (await fetch(`${issuer(disabledSlug)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(metadata['device_authorization_endpoint'], undefined);
    assert.ok(!(metadata['grant_types_supported'] as string[]).includes(DEVICE_GRANT));
    assert.equal((await fetch(`${issuer(disabledSlug)}/device`, { redirect: 'manual' })).status, 404);

    const web = await server.admin.clients.create({
      tenant: slug,
      name: 'web',
      public: true,
      redirectUris: ['https://app.example.test/cb'],
    });
    const unauthorized = await form(`${issuer()}/device_authorization`, { client_id: web.client.clientId, scope: 'openid' });
    assert.equal(await errorOf(unauthorized), 'unauthorized_client');
  });
});
