import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_API_IDENTIFIER, DEFAULT_REGISTRATION_POLICY, SYSTEM_TENANT } from '@gatehouse/protocol';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { uniqueSlug } from '../support/index.js';
import { startRegistrationSecurityFixture, type RegistrationSecurityFixture } from './item-2-11-registration.fixture.js';

const REDIRECT_URI = 'https://client.example.test/callback';
const API = 'https://api.example.test/orders';
const PASSWORD = 'correct horse battery staple';

/**
 * Issue 10 item 2: dynamic registration grants only what the initial access token's policy
 * allows (RFC 7591 §3.2.2 invalid_client_metadata otherwise), RFC 7592 updates are held to the
 * same policy, registration is closed in the system tenant, and admin-API tokens go only to
 * the client the bootstrap marked as the admin console.
 */
describe('security: item 2, dynamic registration is bounded by a policy', () => {
  let fx: RegistrationSecurityFixture;
  let tenant: string;
  let issuer: string;
  /** An initial access token with the default policy (the admin said nothing). */
  let defaultToken: string;

  before(async () => {
    fx = await startRegistrationSecurityFixture();
    tenant = uniqueSlug('sec-reg');
    issuer = fx.server.issuer(tenant);
    await fx.server.admin.tenants.create(tenant, 'Registration Corp');
    await fx.server.admin.apis.create({ tenant, identifier: API, scope: 'orders:read orders:write', name: 'Orders' });
    const created = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, { expires_in: 3600 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    defaultToken = String(created.body['token']);
  });
  after(async () => {
    await fx?.close();
  });

  const register = (token: string, body: Record<string, unknown>, slug = tenant) =>
    fx.send('POST', `${fx.server.issuer(slug)}/register`, token, body);

  it('the admin API shows the default policy: code + refresh, OpenID scopes only, the usual auth methods', async () => {
    const listed = await fx.admin('GET', `/tenants/${tenant}/registration-tokens`);
    const items = listed.body['items'] as Record<string, unknown>[];
    assert.deepEqual(items[0]?.['policy'], {
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
      apis: [],
      token_endpoint_auth_methods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    });
  });

  it('refuses registering client_credentials: invalid_client_metadata naming grant_types, nothing created', async () => {
    const before = (await fx.clients(tenant)).length;
    const reply = await register(defaultToken, { client_name: 'Machine', grant_types: ['client_credentials'], scope: 'openid' });
    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_client_metadata');
    assert.match(String(reply.body['error_description']), /grant_types/);
    assert.equal(reply.body['client_id'], undefined);
    assert.equal((await fx.clients(tenant)).length, before);
  });

  it("refuses registering an API's scope: invalid_client_metadata naming scope, nothing created", async () => {
    const before = (await fx.clients(tenant)).length;
    const reply = await register(defaultToken, { redirect_uris: [REDIRECT_URI], scope: 'openid orders:write' });
    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_client_metadata');
    assert.match(String(reply.body['error_description']), /scope/);
    assert.equal((await fx.clients(tenant)).length, before);
  });

  it('refuses an auth method outside the policy', async () => {
    const created = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, { policy: { token_endpoint_auth_methods: ['none'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const before = (await fx.clients(tenant)).length;
    const reply = await register(String(created.body['token']), {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'client_secret_post',
    });
    assert.equal(reply.body['error'], 'invalid_client_metadata');
    assert.match(String(reply.body['error_description']), /token_endpoint_auth_method/);
    assert.equal((await fx.clients(tenant)).length, before);
  });

  it('fills omitted members with defaults inside the policy, never beyond it', async () => {
    const created = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, {
      policy: { grant_types: ['authorization_code'], scopes: ['openid'], token_endpoint_auth_methods: ['none'] },
    });
    const reply = await register(String(created.body['token']), { redirect_uris: [REDIRECT_URI] });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.deepEqual(reply.body['grant_types'], ['authorization_code']);
    assert.equal(reply.body['scope'], 'openid');
    assert.equal(reply.body['token_endpoint_auth_method'], 'none');
    assert.equal(reply.body['client_secret'], undefined);
  });

  it('an admin may allow an API (by identifier) and machine clients; the client remembers that policy', async () => {
    const created = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, {
      policy: { grant_types: ['client_credentials'], scopes: [], apis: [API], token_endpoint_auth_methods: ['client_secret_basic'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual((created.body['policy'] as Record<string, unknown>)['apis'], [API]);
    const reply = await register(String(created.body['token']), { grant_types: ['client_credentials'], scope: 'orders:read' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const stored = await fx.server.infrastructure.persistence.repositories.clients.findByClientId(
      (await fx.tenant(tenant)).id,
      String(reply.body['client_id']),
    );
    assert.deepEqual(stored?.registrationPolicy?.apis, [API]);
    assert.equal(stored?.adminConsole, false);
  });

  it('the admin API refuses unknown grant types, scopes, APIs and policy members with 400 problem details, creating nothing', async () => {
    const before = (await fx.admin('GET', `/tenants/${tenant}/registration-tokens?limit=100`)).body['items'] as unknown[];
    for (const [policy, field] of [
      [{ grant_types: ['password'] }, 'policy.grant_types'],
      [{ scopes: ['no-such-scope'] }, 'policy.scopes'],
      [{ apis: ['https://unknown.example.test'] }, 'policy.apis'],
      [{ token_endpoint_auth_methods: ['client_secret_jwt'] }, 'policy.token_endpoint_auth_methods'],
      [{ scope: 'openid' }, 'policy.scope'],
      [{ grant_types: 'client_credentials' }, 'policy.grant_types'],
    ] as const) {
      const reply = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, { policy });
      assert.equal(reply.status, 400, JSON.stringify(policy));
      assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(reply.body['token'], undefined);
      assert.match(JSON.stringify(reply.body), new RegExp(field.replace('.', '\\.')), JSON.stringify(reply.body));
    }
    const after = (await fx.admin('GET', `/tenants/${tenant}/registration-tokens?limit=100`)).body['items'] as unknown[];
    assert.equal(after.length, before.length);
  });

  it('RFC 7592 PUT cannot add client_credentials or a scope beyond the policy: invalid_client_metadata, nothing changed', async () => {
    const registered = await register(defaultToken, { client_name: 'Web App', redirect_uris: [REDIRECT_URI], scope: 'openid profile' });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const clientId = String(registered.body['client_id']);
    const uri = String(registered.body['registration_client_uri']);
    const rat = String(registered.body['registration_access_token']);
    const tenantId = (await fx.tenant(tenant)).id;
    const before = await fx.server.infrastructure.persistence.repositories.clients.findByClientId(tenantId, clientId);
    assert.ok(before);

    const grants = await fx.send('PUT', uri, rat, {
      client_id: clientId,
      client_name: 'Web App',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'client_credentials'],
      scope: 'openid profile',
    });
    assert.equal(grants.status, 400);
    assert.equal(grants.body['error'], 'invalid_client_metadata');
    assert.match(String(grants.body['error_description']), /grant_types/);

    const scopes = await fx.send('PUT', uri, rat, {
      client_id: clientId,
      client_name: 'Web App renamed',
      redirect_uris: [REDIRECT_URI],
      scope: 'openid profile orders:read orders:write',
    });
    assert.equal(scopes.status, 400);
    assert.equal(scopes.body['error'], 'invalid_client_metadata');
    assert.match(String(scopes.body['error_description']), /scope/);

    const after = await fx.server.infrastructure.persistence.repositories.clients.findByClientId(tenantId, clientId);
    assert.deepEqual(after?.grantTypes, before.grantTypes);
    assert.deepEqual(after?.scopes, ['openid', 'profile']);
    assert.equal(after?.name, 'Web App');
    assert.equal(after?.updatedAt.getTime(), before.updatedAt.getTime());

    const tokenResponse = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${String(registered.body['client_secret'])}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }).toString(),
    });
    assert.equal(tokenResponse.status, 400, 'and the client still mints no machine token');
    assert.equal(((await tokenResponse.json()) as Record<string, unknown>)['access_token'], undefined);
  });

  it('registration is closed in the system tenant: no initial access token there, no registration there', async () => {
    const system = await fx.tenant(SYSTEM_TENANT);
    const tokensBefore = await fx.server.infrastructure.persistence.repositories.registrationTokens.listByTenant(system.id);
    const refused = await fx.admin('POST', `/tenants/${SYSTEM_TENANT}/registration-tokens`, {});
    assert.equal(refused.status, 400);
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(refused.body['token'], undefined);
    const tokensAfter = await fx.server.infrastructure.persistence.repositories.registrationTokens.listByTenant(system.id);
    assert.equal(tokensAfter.length, tokensBefore.length);

    // A token planted as if made before the fix still registers nothing there.
    const planted = generateOpaqueSecret();
    await fx.server.infrastructure.persistence.repositories.registrationTokens.insert(
      system.id,
      hashOpaqueSecret(planted),
      new Date(Date.now() + 3_600_000),
      DEFAULT_REGISTRATION_POLICY,
    );
    const clientsBefore = (await fx.clients(SYSTEM_TENANT)).length;
    const reply = await register(
      planted,
      { client_name: 'Gatehouse admin console', redirect_uris: [REDIRECT_URI], scope: 'openid admin' },
      SYSTEM_TENANT,
    );
    assert.equal(reply.status, 401);
    assert.equal(reply.body['client_id'], undefined);
    assert.equal((await fx.clients(SYSTEM_TENANT)).length, clientsBefore);

    const discovery = (await (await fetch(`${fx.server.issuer(SYSTEM_TENANT)}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(discovery['registration_endpoint'], undefined, 'not advertised in the system tenant');
  });

  it('a client named like the admin console gets invalid_target for the admin API at /authorize and /token', async () => {
    const system = await fx.tenant(SYSTEM_TENANT);
    const clients = fx.server.infrastructure.persistence.repositories.clients;
    // As a self-registration from before the fix would have left it: public, first-party-looking name, admin scope.
    const lookalike = await clients.insert(system.id, {
      clientId: generateOpaqueSecret(16),
      name: 'Gatehouse admin console',
      applicationType: 'web',
      tokenEndpointAuthMethod: 'none',
      secretHash: null,
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'offline_access', 'admin'],
      jwks: null,
      firstParty: false,
      registrationPolicy: DEFAULT_REGISTRATION_POLICY,
    });
    assert.equal(lookalike.adminConsole, false);
    const url = new URL(`${fx.server.issuer(SYSTEM_TENANT)}/authorize`);
    url.search = new URLSearchParams({
      client_id: lookalike.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid admin',
      state: 'st',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      resource: ADMIN_API_IDENTIFIER,
    }).toString();
    const interactionsBefore = await countRows(fx, 'interactions', system.id);
    const authorize = await fetch(url, { redirect: 'manual' });
    assert.ok([302, 303].includes(authorize.status), `status ${authorize.status}`);
    const location = new URL(authorize.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), 'invalid_target');
    assert.equal(location.searchParams.get('code'), null);
    assert.equal(await countRows(fx, 'interactions', system.id), interactionsBefore, 'no sign-in was started');

    // A refresh grant for the admin API left from before the fix mints nothing either (the token minter refuses).
    const user = await fx.server.admin.users.create({ tenant: SYSTEM_TENANT, username: uniqueSlug('mallory'), password: PASSWORD });
    const refreshToken = generateOpaqueSecret();
    const repositories = fx.server.infrastructure.persistence.repositories;
    const familyId = await repositories.refreshTokens.createFamily(system.id, {
      clientId: lookalike.clientId,
      userId: user.id,
      sessionId: null,
      scopes: ['openid', 'admin'],
      resource: ADMIN_API_IDENTIFIER,
      authTime: new Date(),
      amr: ['pwd'],
      absoluteExpiresAt: new Date(Date.now() + 3_600_000),
    });
    await repositories.refreshTokens.insertToken(system.id, familyId, hashOpaqueSecret(refreshToken), new Date(Date.now() + 3_600_000));
    const refreshed = await fetch(`${fx.server.issuer(SYSTEM_TENANT)}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: lookalike.clientId, refresh_token: refreshToken }).toString(),
    });
    const refreshedBody = (await refreshed.json()) as Record<string, unknown>;
    assert.equal(refreshed.status, 400);
    assert.equal(refreshedBody['error'], 'invalid_target');
    assert.equal(refreshedBody['access_token'], undefined);

    // An admin-made machine client of the system tenant with the same name: no admin-API token either.
    const { client, clientSecret } = await fx.server.admin.clients.create({
      tenant: SYSTEM_TENANT,
      name: 'Gatehouse admin console',
      grantTypes: ['client_credentials'],
      scope: 'admin',
    });
    const token = await fetch(`${fx.server.issuer(SYSTEM_TENANT)}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret ?? ''}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: ADMIN_API_IDENTIFIER, scope: 'admin' }).toString(),
    });
    const body = (await token.json()) as Record<string, unknown>;
    assert.equal(token.status, 400);
    assert.equal(body['error'], 'invalid_target');
    assert.equal(body['access_token'], undefined);
  });

  describe('a self-registered client gets tokens only for the APIs its policy allows', () => {
    const API_A = 'https://api.example.test/a';
    const API_B = 'https://api.example.test/b';
    let clientId: string;
    let clientSecret: string;

    before(async () => {
      // Both APIs define `read`: the policy allows A, so B's `read` must not follow by name.
      await fx.server.admin.apis.create({ tenant, identifier: API_A, scope: 'read write', name: 'A' });
      await fx.server.admin.apis.create({ tenant, identifier: API_B, scope: 'read', name: 'B' });
      const created = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, {
        policy: {
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
          scopes: ['openid'],
          apis: [API_A],
          token_endpoint_auth_methods: ['client_secret_basic'],
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const registered = await register(String(created.body['token']), {
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        scope: 'openid read write',
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      clientId = String(registered.body['client_id']);
      clientSecret = String(registered.body['client_secret']);
    });

    const clientCredentials = async (params: Record<string, string>) => {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...params }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const authorize = (params: Record<string, string>) => {
      const url = new URL(`${issuer}/authorize`);
      url.search = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        state: 'st',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        ...params,
      }).toString();
      return fetch(url, { redirect: 'manual' });
    };
    const issued = async () => countRows(fx, 'audit_outbox', (await fx.tenant(tenant)).id, `type = 'token.issued'`);

    it('client_credentials for API B is invalid_target, with or without scope, and issues nothing', async () => {
      const before = await issued();
      for (const params of [{ resource: API_B, scope: 'read' }, { resource: API_B }] as Record<string, string>[]) {
        const reply = await clientCredentials(params);
        assert.equal(reply.status, 400, JSON.stringify(params));
        assert.equal(reply.body['error'], 'invalid_target');
        assert.equal(reply.body['access_token'], undefined);
      }
      assert.equal(await issued(), before, 'no token.issued event');
    });

    it("client_credentials for API A works and carries A's scopes only", async () => {
      const reply = await clientCredentials({ resource: API_A, scope: 'read' });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body['scope'], 'read');
      const claims = JSON.parse(Buffer.from(String(reply.body['access_token']).split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      assert.equal(claims['aud'], API_A);
    });

    it('/authorize for API B is invalid_target at the redirect URI, starting no sign-in', async () => {
      const tenantId = (await fx.tenant(tenant)).id;
      const interactionsBefore = await countRows(fx, 'interactions', tenantId);
      const response = await authorize({ scope: 'openid read', resource: API_B });
      assert.ok([302, 303].includes(response.status), `status ${response.status}`);
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_target');
      assert.equal(location.searchParams.get('code'), null);
      assert.equal(await countRows(fx, 'interactions', tenantId), interactionsBefore);

      const allowed = await authorize({ scope: 'openid read', resource: API_A });
      assert.ok([302, 303].includes(allowed.status), `status ${allowed.status}`);
      const next = new URL(allowed.headers.get('location') ?? '', issuer);
      assert.equal(next.searchParams.get('error'), null, 'API A goes on to sign-in');
      assert.equal(await countRows(fx, 'interactions', tenantId), interactionsBefore + 1);
    });

    it('/authorize with resource and only OpenID scopes is invalid_target: no token whose audience is the API', async () => {
      const tenantId = (await fx.tenant(tenant)).id;
      const interactionsBefore = await countRows(fx, 'interactions', tenantId);
      const response = await authorize({ scope: 'openid', resource: API_A });
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_target');
      assert.match(location.searchParams.get('error_description') ?? '', /scope/);
      assert.equal(await countRows(fx, 'interactions', tenantId), interactionsBefore);
    });

    it('a refresh family for API B left from before the fix mints nothing (invalid_target) and stays unspent', async () => {
      const tenantId = (await fx.tenant(tenant)).id;
      const repositories = fx.server.infrastructure.persistence.repositories;
      const user = await fx.server.admin.users.create({ tenant, username: uniqueSlug('mallory'), password: PASSWORD });
      const refreshToken = generateOpaqueSecret();
      const familyId = await repositories.refreshTokens.createFamily(tenantId, {
        clientId,
        userId: user.id,
        sessionId: null,
        scopes: ['openid', 'read'],
        resource: API_B,
        authTime: new Date(),
        amr: ['pwd'],
        absoluteExpiresAt: new Date(Date.now() + 3_600_000),
      });
      await repositories.refreshTokens.insertToken(tenantId, familyId, hashOpaqueSecret(refreshToken), new Date(Date.now() + 3_600_000));
      const before = await issued();
      const refreshed = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      });
      const body = (await refreshed.json()) as Record<string, unknown>;
      assert.equal(refreshed.status, 400);
      assert.equal(body['error'], 'invalid_target');
      assert.equal(body['access_token'], undefined);
      assert.equal(await issued(), before);
      const presented = await repositories.refreshTokens.findByHash(tenantId, hashOpaqueSecret(refreshToken));
      assert.equal(presented?.usedAt ?? null, null);
    });
  });

  it('RFC 7592 read, PUT and DELETE are closed in the system tenant too: invalid_token, the client unchanged', async () => {
    const system = await fx.tenant(SYSTEM_TENANT);
    const clients = fx.server.infrastructure.persistence.repositories.clients;
    // As a self-registration from before registration was closed there would have left it.
    const planted = await clients.insert(system.id, {
      clientId: generateOpaqueSecret(16),
      name: 'Registered before the fix',
      applicationType: 'web',
      tokenEndpointAuthMethod: 'none',
      secretHash: null,
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code'],
      scopes: ['openid'],
      jwks: null,
      firstParty: false,
      registrationPolicy: DEFAULT_REGISTRATION_POLICY,
    });
    const rat = generateOpaqueSecret();
    await clients.setRegistrationAccessTokenHash(system.id, planted.clientId, hashOpaqueSecret(rat));
    const before = await clients.findByClientId(system.id, planted.clientId);
    const uri = `${fx.server.issuer(SYSTEM_TENANT)}/register/${planted.clientId}`;
    const posted = await register(rat, { redirect_uris: [REDIRECT_URI] }, SYSTEM_TENANT);

    const replies = [
      await fx.send('GET', uri, rat),
      await fx.send('PUT', uri, rat, {
        client_id: planted.clientId,
        client_name: 'Renamed',
        redirect_uris: ['https://attacker.example.test/callback'],
        token_endpoint_auth_method: 'none',
      }),
      await fx.send('DELETE', uri, rat),
    ];
    for (const reply of replies) {
      assert.equal(reply.status, posted.status, 'the same refusal registration gets');
      assert.equal(reply.status, 401);
      assert.equal(reply.body['error'], posted.body['error']);
      assert.equal(reply.body['client_id'], undefined);
    }
    const after = await clients.findByClientId(system.id, planted.clientId);
    assert.equal(after?.name, 'Registered before the fix');
    assert.deepEqual(after?.redirectUris, [REDIRECT_URI]);
    assert.equal(after?.updatedAt.getTime(), before?.updatedAt.getTime());
  });

  it('the admin API cannot mark a client as the admin console', async () => {
    const created = await fx.admin('POST', `/tenants/${SYSTEM_TENANT}/clients`, {
      name: 'Gatehouse admin console',
      public: true,
      redirect_uris: [REDIRECT_URI],
      admin_console: true,
      adminConsole: true,
    });
    const clientId = String(created.body['client_id']);
    if (created.status === 201) {
      const stored = await fx.server.infrastructure.persistence.repositories.clients.findByClientId(
        (await fx.tenant(SYSTEM_TENANT)).id,
        clientId,
      );
      assert.equal(stored?.adminConsole, false);
    } else {
      assert.equal(created.status, 400);
    }
    const marked = await fx.server.infrastructure.database.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM clients WHERE admin_console AND tenant_id = $1`,
      [(await fx.tenant(SYSTEM_TENANT)).id],
    );
    assert.equal(Number(marked[0]?.n), 1, 'only the bootstrap console');
  });
});

async function countRows(
  fx: RegistrationSecurityFixture,
  table: 'interactions' | 'audit_outbox',
  tenantId: string,
  where = 'true',
): Promise<number> {
  const rows = await fx.server.infrastructure.database.dataSource.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1 AND ${where}`,
    [tenantId],
  );
  return Number(rows[0]?.n);
}
