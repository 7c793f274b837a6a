import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';
import { auditEvents, basic, oauthError, PASSWORD, postForm, startAdminApi, type AdminApi } from './items-4-7-8-9-14.fixture.js';

const REDIRECT_URI = 'https://client.example.test/callback';
const API = 'https://api.example.test/orders';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * Issue 10 item 14 (protocol hardening part): request_uri without PAR, prompt advertising, literal
 * loopback redirect URIs, and client_credentials without resource.
 */
describe('security item 14: smaller protocol gaps', () => {
  let server: RunningAuthorizationServer;
  let adminApi: AdminApi;
  let issuer: string;
  let webClientId: string;
  let nativeClientId: string;
  let service: { clientId: string; secret: string };
  const tenant = uniqueSlug('item14');

  before(async () => {
    server = await startAuthorizationServer();
    const { admin } = server;
    await admin.tenants.create(tenant, 'Item 14');
    await admin.users.create({ tenant, username: 'alice', password: PASSWORD });
    await admin.apis.create({ tenant, identifier: API, scope: 'orders:read', name: 'Orders' });
    webClientId = (await admin.clients.create({ tenant, name: 'Web', redirectUris: [REDIRECT_URI], scope: 'openid' })).client.clientId;
    nativeClientId = (
      await admin.clients.create({
        tenant,
        name: 'CLI',
        public: true,
        applicationType: 'native',
        redirectUris: ['http://127.0.0.1/cb', 'http://[::1]/cb'],
        scope: 'openid',
      })
    ).client.clientId;
    const machine = await admin.clients.create({ tenant, name: 'Batch', grantTypes: ['client_credentials'], scope: 'orders:read jobs' });
    service = { clientId: machine.client.clientId, secret: machine.clientSecret ?? '' };
    issuer = server.issuer(tenant);
    adminApi = await startAdminApi(server);
  });
  after(async () => {
    await adminApi?.close();
    await server?.close();
  });

  function authorize(params: Record<string, string>): Promise<Response> {
    const url = new URL(`${issuer}/authorize`);
    const all = {
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      ...params,
    };
    for (const [key, value] of Object.entries(all)) url.searchParams.set(key, value);
    return fetch(url, { redirect: 'manual' });
  }

  async function codesIssued(): Promise<number> {
    return (await auditEvents(server, tenant, 'authorization.requested')).length;
  }

  describe('request_uri without PAR', () => {
    it('is answered request_uri_not_supported on the registered redirect URI, with state and iss', async () => {
      const response = await authorize({
        client_id: webClientId,
        redirect_uri: REDIRECT_URI,
        request_uri: 'urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c',
      });
      const location = new URL(response.headers.get('location') ?? 'about:blank');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'request_uri_not_supported');
      assert.equal(location.searchParams.get('state'), 'st');
      assert.equal(location.searchParams.get('iss'), issuer);
      assert.equal(location.searchParams.get('code'), null);
    });

    it('a PAR-style request (client_id and request_uri only) gets the error page, never a login', async () => {
      const before = await codesIssued();
      const url = new URL(`${issuer}/authorize`);
      url.searchParams.set('client_id', webClientId);
      url.searchParams.set('request_uri', 'urn:ietf:params:oauth:request_uri:abc');
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.match(await response.text(), /request_uri/);
      assert.equal(await codesIssued(), before);
    });

    it('discovery says request_uri is not supported', async () => {
      const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(metadata['request_uri_parameter_supported'], false);
    });
  });

  describe('prompt', () => {
    it('discovery advertises only the values the flow implements, and each is accepted', async () => {
      const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.deepEqual(metadata['prompt_values_supported'], ['none', 'login', 'consent', 'select_account']);
      for (const prompt of ['login', 'consent', 'select_account']) {
        const response = await authorize({ client_id: webClientId, redirect_uri: REDIRECT_URI, prompt });
        assert.match(response.headers.get('location') ?? '', /\/interaction\//, `${prompt} goes to the login page`);
      }
      const none = new URL(
        (await authorize({ client_id: webClientId, redirect_uri: REDIRECT_URI, prompt: 'none' })).headers.get('location') ?? '',
      );
      assert.equal(none.searchParams.get('error'), 'login_required');
    });

    it('a value it does not implement (create, unknown ones) is invalid_request, not silently ignored', async () => {
      for (const prompt of ['create', 'select_account_please']) {
        const response = await authorize({ client_id: webClientId, redirect_uri: REDIRECT_URI, prompt });
        const location = new URL(response.headers.get('location') ?? 'about:blank');
        assert.equal(location.searchParams.get('error'), 'invalid_request', prompt);
      }
    });
  });

  describe('loopback redirect URIs compare the host literally', () => {
    const spellings = [
      'http://127.1/cb',
      'http://0x7f.0.0.1/cb',
      'http://2130706433/cb',
      'http://127.0.0.2/cb',
      'http://[0:0:0:0:0:0:0:1]/cb',
    ];

    it('the admin API refuses other spellings of loopback and port 0, and stores nothing', async () => {
      for (const uri of [...spellings, 'http://127.0.0.1:0/cb']) {
        const response = await adminApi.send('POST', `/tenants/${tenant}/clients`, {
          client_name: 'Sneaky',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          redirect_uris: [uri],
          scope: 'openid',
        });
        assert.equal(response.status, 400, `${uri}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body['code'], 'validation_failed');
      }
      const listed = await adminApi.send('GET', `/tenants/${tenant}/clients?name=Sneaky`);
      assert.deepEqual(listed.body['items'], []);
    });

    it('/authorize accepts any port of 127.0.0.1 or [::1] with the exact path (control)', async () => {
      for (const uri of ['http://127.0.0.1:51234/cb', 'http://[::1]:1/cb', 'http://127.0.0.1/cb']) {
        const response = await authorize({ client_id: nativeClientId, redirect_uri: uri });
        assert.match(response.headers.get('location') ?? '', /\/interaction\//, uri);
      }
    });

    it('/authorize refuses another spelling of the host, port 0 and a path that only normalizes to the registered one', async () => {
      const before = await codesIssued();
      for (const uri of [
        ...spellings.map((spelling) => spelling.replace('/cb', ':51234/cb')),
        'http://127.0.0.1:0/cb',
        'http://127.0.0.1:51234/x/../cb',
        'http://127.0.0.1:51234/%63b',
        'http://127.0.0.1:51234/cb/',
      ]) {
        const response = await authorize({ client_id: nativeClientId, redirect_uri: uri });
        assert.equal(response.status, 400, uri);
        assert.equal(response.headers.get('location'), null, `${uri} is never redirected to`);
      }
      assert.equal(await codesIssued(), before);
    });
  });

  describe('client_credentials without resource', () => {
    const token = (form: Record<string, string>) =>
      postForm(
        `${issuer}/token`,
        { grant_type: 'client_credentials', ...form },
        { authorization: basic(service.clientId, service.secret) },
      );

    it("carries only the client's non-API scopes, for the issuer audience", async () => {
      const response = await token({});
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body['scope'], 'jobs');
      const claims = decodeJwt(String(body['access_token']));
      assert.equal(claims['scope'], 'jobs');
      assert.equal(claims.aud, issuer);
    });

    it('asking for an API scope without resource is invalid_scope and issues nothing', async () => {
      const before = (await auditEvents(server, tenant, 'token.issued')).length;
      assert.equal(await oauthError(await token({ scope: 'orders:read' }), 400), 'invalid_scope');
      const mixed = (await (await token({ scope: 'orders:read jobs' })).json()) as Record<string, unknown>;
      assert.equal(mixed['scope'], 'jobs');
      assert.equal(decodeJwt(String(mixed['access_token']))['scope'], 'jobs');
      assert.equal((await auditEvents(server, tenant, 'token.issued')).length, before + 1);
    });

    it('with resource, the API scopes are there, for the API audience (control)', async () => {
      const body = (await (await token({ resource: API })).json()) as Record<string, unknown>;
      assert.equal(body['scope'], 'orders:read');
      assert.equal(decodeJwt(String(body['access_token'])).aud, API);
    });
  });
});
