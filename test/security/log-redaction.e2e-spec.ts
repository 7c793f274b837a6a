import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GatehouseLogger } from '@gatehouse/observability';
import { totpCode } from '@gatehouse/tokens';
import { readForm, TestBrowser } from '../support/index.js';
import { basic, PASSWORD, Platform, type SignedIn } from './items-1-6-10-14.fixture.js';

const TENANT = 'logs-corp';
const REDIRECT_URI = 'https://client.example.test/callback';

/** A value that appears nowhere unless something logged it. */
const sentinel = (name: string) => `S3NT1NEL${name}${randomBytes(6).toString('hex')}`;

/**
 * Every secret a client, a browser or an operator sends or receives — in headers, form and JSON
 * bodies, query strings, and requests that fail — and none of it in the two apps' log output.
 */
describe(
  'logs carry no secrets, and one line per request with its context',
  { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a scratch PostgreSQL database)' },
  () => {
    const lines: string[] = [];
    const secrets = new Map<string, string>();
    const secret = (name: string) => {
      const value = sentinel(name);
      secrets.set(name, value);
      return value;
    };
    let platform: Platform;
    let web: { clientId: string; secret: string };
    let operator: string;
    let signedIn: SignedIn;

    before(async () => {
      const logger = new GatehouseLogger({ level: 'trace', format: 'json', write: (line) => lines.push(line) });
      platform = await Platform.start(logger);
      const { services } = platform;
      await services.tenants.create(TENANT, 'Logs Corp');
      await services.users.create({ tenant: TENANT, username: 'alice', password: PASSWORD });
      await services.users.create({ tenant: TENANT, username: 'carol', password: PASSWORD });
      const created = await services.clients.create({
        tenant: TENANT,
        name: 'Web App',
        scope: 'openid offline_access',
        firstParty: true,
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT_URI],
      });
      web = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
      operator = (await services.adminTokens.mint({})).accessToken;
      signedIn = await platform.signIn({
        tenant: TENANT,
        clientId: web.clientId,
        secret: web.secret,
        redirectUri: REDIRECT_URI,
        username: 'alice',
        scope: 'openid offline_access',
      });
    });
    after(async () => {
      await platform?.close();
    });

    const issuer = () => platform.issuer(TENANT);
    const token = (form: Record<string, string>, headers: Record<string, string> = {}) => platform.post(`${issuer()}/token`, form, headers);

    it('the token endpoint: Basic and client_secret, code, code_verifier, refresh_token, client_assertion, DPoP', async () => {
      const wrongBasic = basic(web.clientId, secret('basic'));
      secrets.set('basic-header', wrongBasic['authorization'] ?? '');
      assert.equal((await token({ grant_type: 'client_credentials' }, wrongBasic)).status, 401);

      const code = await token(
        { grant_type: 'authorization_code', code: secret('code'), code_verifier: secret('verifier'), redirect_uri: REDIRECT_URI },
        {
          ...basic(web.clientId, web.secret),
          dpop: secret('dpop'),
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
      );
      assert.equal(code.status, 400);
      const post = await token({
        grant_type: 'refresh_token',
        refresh_token: secret('refresh'),
        client_id: web.clientId,
        client_secret: secret('client-secret'),
      });
      assert.equal(post.status, 401);
      const assertion = await token({
        grant_type: 'client_credentials',
        client_id: web.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: secret('assertion'),
      });
      assert.equal(assertion.status, 401);
      const json = await fetch(`${issuer()}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', password: secret('json-password'), client_secret: secret('json-secret') }),
      });
      assert.ok(json.status >= 400);
    });

    it('real tokens and the session cookie: refreshed, introspected, presented, revoked', async () => {
      const { tokens, browser } = signedIn;
      secrets.set('access-token', tokens.access_token);
      secrets.set('id-token', tokens.id_token ?? '');
      secrets.set('refresh-token', tokens.refresh_token ?? '');
      const session = browser.cookieNames().find((name) => name.includes('gh_session')) ?? '';
      secrets.set('session-cookie', browser.cookieValue(session) ?? '');
      assert.ok(secrets.get('session-cookie'));

      const refreshed = await token(
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' },
        basic(web.clientId, web.secret),
      );
      assert.equal(refreshed.status, 200);
      secrets.set('refreshed-access', String(refreshed.body['access_token']));
      secrets.set('refreshed-refresh', String(refreshed.body['refresh_token']));

      const userinfo = await fetch(`${issuer()}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(userinfo.status, 200);
      const bad = await fetch(`${issuer()}/userinfo?access_token=${secret('query-access')}`, {
        headers: { authorization: `Bearer ${secret('bearer')}`, cookie: `${session}=${secret('cookie')}` },
      });
      assert.equal(bad.status, 401);
      await platform.post(`${issuer()}/introspect`, { token: tokens.access_token }, basic(web.clientId, web.secret));
      await platform.post(
        `${issuer()}/revoke`,
        { token: secret('revoked'), token_type_hint: 'refresh_token' },
        basic(web.clientId, web.secret),
      );
    });

    it('query strings on the browser endpoints, the logout id_token_hint', async () => {
      const query = new URLSearchParams({
        client_id: web.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        code: secret('query-code'),
        client_secret: secret('query-secret'),
        id_token: secret('query-id-token'),
        refresh_token: secret('query-refresh'),
      });
      await fetch(`${issuer()}/authorize?${query.toString()}`, { redirect: 'manual' });
      await fetch(`${issuer()}/logout?id_token_hint=${secret('hint')}`, { redirect: 'manual' });
      await fetch(`${issuer()}/logout?id_token_hint=${signedIn.tokens.id_token ?? ''}`, { redirect: 'manual' });
    });

    it('the login form (a wrong password) and the second factor form (a wrong TOTP code)', async () => {
      const browser = new TestBrowser();
      const url = new URL(`${issuer()}/authorize`);
      url.search = new URLSearchParams({
        client_id: web.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        acr_values: 'urn:gatehouse:acr:mfa',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      const page = await browser.follow(await browser.get(url.toString()), platform.origin);
      const form = readForm(await page.response.text(), page.url);
      const wrong = await browser.postForm(form.action, { ...form.hidden, username: 'carol', password: secret('password') });
      assert.equal(wrong.status, 401);
      const again = readForm(await wrong.text(), page.url);
      const right = await browser.follow(
        await browser.postForm(again.action, { ...again.hidden, username: 'carol', password: PASSWORD }),
        platform.origin,
      );
      const enrol = await right.response.text();
      const totpSecret = (enrol.match(/<code id="totp-secret">([A-Z2-7 ]+)<\/code>/)?.[1] ?? '').replace(/ /g, '');
      assert.ok(totpSecret, 'the enrolment page');
      secrets.set('totp-secret', totpSecret);
      let code = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000));
      if (code === totpCode(totpSecret, new Date())) code = code === '123456' ? '654321' : '123456';
      secrets.set('totp', code);
      const second = readForm(enrol, right.url);
      assert.equal((await browser.postForm(second.action, { ...second.hidden, code })).status, 401);
    });

    it('the admin API: a bearer token, JSON bodies with passwords and secrets, failures', async () => {
      const call = (path: string, bearer: string, body: unknown) =>
        fetch(`${platform.adminBase}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      assert.equal(
        (await call(`/tenants/${TENANT}/users`, secret('admin-bearer'), { username: 'x', password: secret('admin-pw1') })).status,
        401,
      );
      secrets.set('operator', operator);
      const weak = await call(`/tenants/${TENANT}/users`, operator, {
        username: 'dave',
        password: secret('admin-pw2'),
        totp: secret('admin-totp'),
      });
      assert.ok(weak.status === 201 || weak.status === 400, String(weak.status));
      const created = await call(`/tenants/${TENANT}/clients`, operator, { client_name: 'Backend', grant_types: ['client_credentials'] });
      const body = (await created.json()) as Record<string, unknown>;
      if (typeof body['client_secret'] === 'string') secrets.set('created-client-secret', body['client_secret']);
      const malformed = await fetch(`${platform.adminBase}/tenants/${TENANT}/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
        body: `{"client_secret": "${secret('malformed')}", `,
      });
      assert.equal(malformed.status, 400);
    });

    it('finds none of them in the captured output', () => {
      const output = lines.join('\n');
      assert.ok(secrets.size >= 30, `${secrets.size} secrets`);
      for (const [name, value] of secrets) {
        assert.ok(value.length >= 6, name);
        assert.ok(!output.includes(value), `${name} (${value}) was logged`);
      }
      assert.ok(!output.includes('S3NT1NEL'), 'a sentinel was logged');
    });

    it('one line per request with request id, tenant, trace id and the authenticated client', () => {
      const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record['req']);
      assert.ok(requests.length > 20);
      for (const record of requests) assert.match(String(record['reqId']), /^[\w-]{8,}$/);
      const tokenLines = requests.filter((record) => String((record['req'] as { url: string }).url) === `/t/${TENANT}/token`);
      assert.ok(tokenLines.every((record) => record['tenant'] === TENANT && record['app'] === 'authorization'));
      assert.ok(
        tokenLines.some((record) => record['clientId'] === web.clientId && (record['res'] as { statusCode: number }).statusCode === 200),
      );
      assert.ok(tokenLines.some((record) => record['traceId'] === '4bf92f3577b34da6a3ce929d0e0e4736'));
      const userinfo = requests.find((record) => (record['req'] as { url: string }).url === `/t/${TENANT}/userinfo`);
      assert.equal(userinfo?.['clientId'], web.clientId, 'the client of the bearer token');
      assert.ok(requests.some((record) => record['app'] === 'admin' && record['tenant'] === TENANT));
    });

    it('honours and echoes x-request-id, and makes one up otherwise', async () => {
      const given = await fetch(`${issuer()}/.well-known/openid-configuration`, { headers: { 'x-request-id': 'req-from-the-edge-1' } });
      assert.equal(given.headers.get('x-request-id'), 'req-from-the-edge-1');
      assert.ok(lines.some((line) => line.includes('"reqId":"req-from-the-edge-1"')));
      const made = await fetch(`${issuer()}/.well-known/openid-configuration`, { headers: { 'x-request-id': 'bad id {"forged":1}' } });
      assert.match(made.headers.get('x-request-id') ?? '', /^[\da-f-]{36}$/);
    });
  },
);
