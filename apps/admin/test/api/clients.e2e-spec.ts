import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { bootstrapPlatform, createAdminApp } from '../../src/index.js';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

const API = 'https://api.example.test/orders';
const CALLBACK = 'https://shop.example.test/cb';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/**
 * The client resource of the admin API over real HTTP, against the real authorization app:
 * lifecycle with ETag / If-Match, redirect URI rules, secret rotation with a grace period at
 * the token endpoint, tenant isolation and the audit trail.
 */
describe('admin API: clients (PATCH with If-Match, secret rotation, validation, isolation, audit)', () => {
  let server: RunningAuthorizationServer;
  let app: NestFastifyApplication;
  let origin: string;
  let adminOfA: string;
  let adminOfB: string;
  const tenantA = uniqueSlug('cli-a');
  const tenantB = uniqueSlug('cli-b');
  const secrets: string[] = [];

  before(async () => {
    server = await startAuthorizationServer();
    const { admin, config, infrastructure } = server;
    await bootstrapPlatform(config, infrastructure.persistence, admin.tenants, admin.users);
    await admin.tenants.create(tenantA, 'Tenant A');
    await admin.tenants.create(tenantB, 'Tenant B');
    await admin.apis.create({ tenant: tenantA, identifier: API, scope: 'orders:read orders:write', name: 'Orders' });
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    origin = await listen(app, '127.0.0.1', 0);
    adminOfA = (await admin.adminTokens.mint({ tenant: tenantA })).accessToken;
    adminOfB = (await admin.adminTokens.mint({ tenant: tenantB })).accessToken;
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${origin}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  const clientPath = (tenant: string, clientId: string) => `/tenants/${tenant}/clients/${clientId}`;
  const fieldOf = (reply: Reply) => (reply.body['errors'] as { field: string }[] | undefined)?.[0]?.field;

  async function create(tenant: string, body: Record<string, unknown>): Promise<Reply> {
    const created = await call('POST', `/tenants/${tenant}/clients`, adminOfA, body);
    if (typeof created.body['client_secret'] === 'string') secrets.push(created.body['client_secret']);
    return created;
  }

  async function rotate(clientId: string, body?: unknown, token = adminOfA): Promise<Reply> {
    const rotated = await call('POST', `${clientPath(tenantA, clientId)}/secret`, token, body);
    if (typeof rotated.body['client_secret'] === 'string') secrets.push(rotated.body['client_secret']);
    return rotated;
  }

  /** client_credentials at the real token endpoint with client_secret_basic. */
  async function tokenWith(clientId: string, secret: string, endpoint = 'token', extra: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${server.issuer(tenantA)}/${endpoint}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      },
      body: new URLSearchParams(endpoint === 'token' ? { grant_type: 'client_credentials', resource: API, ...extra } : extra),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  async function tenantRow(slug: string): Promise<Tenant> {
    const tenant = await server.infrastructure.persistence.repositories.tenants.findBySlug(slug);
    assert.ok(tenant);
    return tenant;
  }

  it('the OpenAPI document shows PATCH and secret rotation', async () => {
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>>;
    };
    const item = document.paths['/admin/v1/tenants/{tenant}/clients/{clientId}'];
    assert.ok(item?.['patch'], 'PATCH is documented');
    assert.ok(item['patch']['parameters']?.some((p) => p.in === 'header' && p.name === 'If-Match' && p.required));
    assert.ok(document.paths['/admin/v1/tenants/{tenant}/clients/{clientId}/secret']?.['post'], 'secret rotation is documented');
  });

  describe('lifecycle with ETag / If-Match', () => {
    let clientId: string;
    let etag: string;

    it('create, then GET returns an ETag and no secret', async () => {
      const created = await create(tenantA, { client_name: 'Shop', redirect_uris: [CALLBACK], scope: 'openid profile' });
      assert.equal(created.status, 201);
      clientId = String(created.body['client_id']);
      assert.ok(created.body['client_secret']);
      const read = await call('GET', clientPath(tenantA, clientId), adminOfA);
      assert.equal(read.status, 200);
      assert.equal(read.body['client_secret'], undefined);
      assert.equal(read.body['previous_secret_expires_at'], null);
      etag = read.headers.get('etag') ?? '';
      assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    });

    it('PATCH without If-Match is 428 and changes nothing', async () => {
      const refused = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { client_name: 'Nope' });
      assert.equal(refused.status, 428);
      assert.equal(refused.body['code'], 'precondition_required');
      const read = await call('GET', clientPath(tenantA, clientId), adminOfA);
      assert.equal(read.body['client_name'], 'Shop');
      assert.equal(read.headers.get('etag'), etag);
    });

    it('PATCH with the current ETag changes the metadata and returns a new ETag', async () => {
      const updated = await call(
        'PATCH',
        clientPath(tenantA, clientId),
        adminOfA,
        {
          client_name: 'Shop 2',
          redirect_uris: [CALLBACK, 'https://shop.example.test/other'],
          post_logout_redirect_uris: ['https://shop.example.test/bye'],
          backchannel_logout_uri: 'https://shop.example.test/bcl',
          rotate_refresh_tokens: false,
          dpop_bound_access_tokens: true,
          scope: 'openid',
          grant_types: ['authorization_code'],
        },
        { 'if-match': etag },
      );
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body['client_name'], 'Shop 2');
      assert.deepEqual(updated.body['redirect_uris'], [CALLBACK, 'https://shop.example.test/other']);
      assert.equal(updated.body['backchannel_logout_uri'], 'https://shop.example.test/bcl');
      assert.equal(updated.body['rotate_refresh_tokens'], false);
      assert.equal(updated.body['dpop_bound_access_tokens'], true);
      assert.equal(updated.body['scope'], 'openid');
      assert.deepEqual(updated.body['grant_types'], ['authorization_code']);
      const next = updated.headers.get('etag') ?? '';
      assert.notEqual(next, etag);
      assert.equal((await call('GET', clientPath(tenantA, clientId), adminOfA)).headers.get('etag'), next, 'GET agrees with the PATCH');

      const stale = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { client_name: 'Lost update' }, { 'if-match': etag });
      assert.equal(stale.status, 412);
      assert.equal(stale.body['code'], 'precondition_failed');
      const read = await call('GET', clientPath(tenantA, clientId), adminOfA);
      assert.equal(read.body['client_name'], 'Shop 2', 'the stale PATCH changed nothing');
      etag = next;
    });

    it('null clears the back-channel logout URI; fixed members cannot be changed', async () => {
      const cleared = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { backchannel_logout_uri: null }, { 'if-match': etag });
      assert.equal(cleared.status, 200);
      assert.equal(cleared.body['backchannel_logout_uri'], null);
      etag = cleared.headers.get('etag') ?? '';
      for (const [field, value] of [
        ['token_endpoint_auth_method', 'none'],
        ['client_id', 'mine'],
        ['first_party', true],
        ['client_secret', 'chosen'],
      ] as const) {
        const refused = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { [field]: value }, { 'if-match': etag });
        assert.equal(refused.status, 400, field);
        assert.equal(fieldOf(refused), field);
        assert.match(String(refused.body['detail']), /cannot be changed; updatable: .*redirect_uris/, field);
      }
      const typo = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { redirect_uri: [] }, { 'if-match': etag });
      assert.match(String(typo.body['detail']), /did you mean redirect_uris\?/);
      const nulled = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { redirect_uris: null }, { 'if-match': etag });
      assert.equal(fieldOf(nulled), 'redirect_uris');
      assert.equal((await call('GET', clientPath(tenantA, clientId), adminOfA)).headers.get('etag'), etag, 'refusals changed nothing');
    });

    it('validation errors name the field, on create and on PATCH (the merged result is validated)', async () => {
      const refusals: [string, string][] = [
        ['https://shop.example.test/cb#fragment', /fragment/.source],
        ['https://*.example.test/cb', /wildcard/.source],
        ['http://shop.example.test/cb', /https/.source],
        ['com.example.app:/cb', /https/.source],
        ['/relative', /absolute/.source],
      ];
      for (const [uri, message] of refusals) {
        const onCreate = await create(tenantA, { client_name: 'Bad', redirect_uris: [uri] });
        assert.equal(onCreate.status, 400, uri);
        assert.equal(onCreate.body['code'], 'validation_failed');
        assert.equal(fieldOf(onCreate), 'redirect_uris', uri);
        assert.match(String(onCreate.body['detail']), new RegExp(message), uri);
        const onPatch = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { redirect_uris: [uri] }, { 'if-match': etag });
        assert.equal(onPatch.status, 400, uri);
        assert.equal(fieldOf(onPatch), 'redirect_uris', uri);
      }
      const badName = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { client_name: ' ' }, { 'if-match': etag });
      assert.equal(fieldOf(badName), 'client_name');
      const badGrant = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { grant_types: ['password'] }, { 'if-match': etag });
      assert.equal(fieldOf(badGrant), 'grant_types');
      const noRedirects = await call('PATCH', clientPath(tenantA, clientId), adminOfA, { redirect_uris: [] }, { 'if-match': etag });
      assert.equal(fieldOf(noRedirects), 'redirect_uris', 'the code grant still needs a redirect URI');
      assert.equal((await call('GET', clientPath(tenantA, clientId), adminOfA)).headers.get('etag'), etag, 'refusals changed nothing');
    });

    it('native clients may use private-use schemes; switching such a client to web is refused', async () => {
      const native = await create(tenantA, {
        client_name: 'Phone',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['com.example.app:/oauth2redirect', 'http://127.0.0.1:7000/cb'],
      });
      assert.equal(native.status, 201, JSON.stringify(native.body));
      const path = clientPath(tenantA, String(native.body['client_id']));
      const read = await call('GET', path, adminOfA);
      const toWeb = await call('PATCH', path, adminOfA, { application_type: 'web' }, { 'if-match': read.headers.get('etag') ?? '' });
      assert.equal(toWeb.status, 400);
      assert.equal(fieldOf(toWeb), 'redirect_uris');
      assert.equal((await call('GET', path, adminOfA)).body['application_type'], 'native');
      const rotation = await rotate(String(native.body['client_id']));
      assert.equal(rotation.status, 409, 'a public client has no secret to rotate');
      assert.match(String(rotation.body['detail']), /only client_secret_basic and client_secret_post/);
    });
  });

  it('loopback http redirect URIs for web clients follow the tenant setting, in the admin API and in registration', async () => {
    const strict = uniqueSlug('cli-strict');
    await server.admin.tenants.create(strict, 'Strict');
    const adminOfStrict = (await server.admin.adminTokens.mint({ tenant: strict })).accessToken;
    const loopbackWeb = { client_name: 'Dev', redirect_uris: ['http://127.0.0.1:8080/cb'] };
    const allowed = await call('POST', `/tenants/${strict}/clients`, adminOfStrict, loopbackWeb);
    assert.equal(allowed.status, 201, 'allowed by default');

    const tenant = await tenantRow(strict);
    assert.ok(
      await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(tenant.id, tenant.updatedAt, {
        webLoopbackRedirects: false,
      }),
    );
    const refused = await call('POST', `/tenants/${strict}/clients`, adminOfStrict, loopbackWeb);
    assert.equal(refused.status, 400);
    assert.equal(fieldOf(refused), 'redirect_uris');
    assert.match(String(refused.body['detail']), /does not allow http loopback/);
    const ipv6 = await call('POST', `/tenants/${strict}/clients`, adminOfStrict, {
      ...loopbackWeb,
      redirect_uris: ['http://[::1]:8080/cb'],
    });
    assert.equal(fieldOf(ipv6), 'redirect_uris');
    const native = await call('POST', `/tenants/${strict}/clients`, adminOfStrict, {
      ...loopbackWeb,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
    });
    assert.equal(native.status, 201, 'native clients keep RFC 8252 loopback redirects');

    // An existing loopback web client can no longer be saved unchanged: the merged result is validated.
    const path = `/tenants/${strict}/clients/${String(allowed.body['client_id'])}`;
    const etag = (await call('GET', path, adminOfStrict)).headers.get('etag') ?? '';
    const rename = await call('PATCH', path, adminOfStrict, { client_name: 'Dev 2' }, { 'if-match': etag });
    assert.equal(fieldOf(rename), 'redirect_uris');

    const { token } = await server.admin.registrationTokens.create(strict);
    const registered = await fetch(`${server.issuer(strict)}/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:8080/cb'] }),
    });
    assert.equal(registered.status, 400);
    assert.equal(
      ((await registered.json()) as { error: string }).error,
      'invalid_redirect_uri',
      'dynamic registration applies the same rule',
    );
  });

  it('registered JWK Sets: PATCH replaces them with public keys only; private_key_jwt clients have no secret to rotate', async () => {
    const jwk = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const first = jwk().publicKey.export({ format: 'jwk' });
    const created = await create(tenantA, {
      client_name: 'Signer',
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      jwks: { keys: [first] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body['client_secret'], undefined);
    const path = clientPath(tenantA, String(created.body['client_id']));
    let etag = (await call('GET', path, adminOfA)).headers.get('etag') ?? '';
    const second = jwk().publicKey.export({ format: 'jwk' });
    const replaced = await call('PATCH', path, adminOfA, { jwks: { keys: [second] } }, { 'if-match': etag });
    assert.equal(replaced.status, 200);
    assert.deepEqual(replaced.body['jwks'], { keys: [second] });
    etag = replaced.headers.get('etag') ?? '';
    const leaky = await call(
      'PATCH',
      path,
      adminOfA,
      { jwks: { keys: [jwk().privateKey.export({ format: 'jwk' })] } },
      { 'if-match': etag },
    );
    assert.equal(leaky.status, 400);
    assert.equal(fieldOf(leaky), 'jwks');
    assert.match(String(leaky.body['detail']), /private/);
    assert.equal(fieldOf(await call('PATCH', path, adminOfA, { jwks: null }, { 'if-match': etag })), 'jwks');
    assert.deepEqual((await call('GET', path, adminOfA)).body['jwks'], { keys: [second] });
    assert.equal((await rotate(String(created.body['client_id']))).status, 409);
  });

  it('request requirements: PAR and signed request objects per client, the algorithm pinned, keys for a secret client', async () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const created = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'Signed requests',
      redirect_uris: [CALLBACK],
      jwks: { keys: [jwk] },
      request_object_signing_alg: 'ES256',
      require_pushed_authorization_requests: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(typeof created.body['client_secret'], 'string');
    assert.equal(created.body['token_endpoint_auth_method'], 'client_secret_basic');
    assert.equal(created.body['request_object_signing_alg'], 'ES256');
    assert.equal(created.body['require_pushed_authorization_requests'], true);
    assert.equal(created.body['require_signed_request_object'], false);
    const path = clientPath(tenantB, String(created.body['client_id']));
    let etag = (await call('GET', path, adminOfB)).headers.get('etag') ?? '';
    const patched = await call(
      'PATCH',
      path,
      adminOfB,
      { require_signed_request_object: true, require_pushed_authorization_requests: false, request_object_signing_alg: null },
      { 'if-match': etag },
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body['require_signed_request_object'], true);
    assert.equal(patched.body['require_pushed_authorization_requests'], false);
    assert.equal(patched.body['request_object_signing_alg'], null);
    etag = patched.headers.get('etag') ?? '';
    assert.equal(
      fieldOf(await call('PATCH', path, adminOfB, { request_object_signing_alg: 'none' }, { 'if-match': etag })),
      'request_object_signing_alg',
    );
    assert.equal(fieldOf(await call('PATCH', path, adminOfB, { jwks: null }, { 'if-match': etag })), 'jwks');
    assert.equal(
      fieldOf(
        await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
          client_name: 'No keys',
          redirect_uris: [CALLBACK],
          require_signed_request_object: true,
        }),
      ),
      'jwks',
    );
  });

  it('mutual TLS members (RFC 8705): created, shown, replaced by PATCH, and refused when malformed, naming the field', async () => {
    const created = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'Certificate client',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=payments.example.test,O=Example',
      tls_client_certificate_bound_access_tokens: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body['client_secret'], undefined, 'a certificate client has no secret');
    assert.equal(created.body['tls_client_auth_subject_dn'], 'CN=payments.example.test,O=Example');
    assert.equal(created.body['tls_client_certificate_bound_access_tokens'], true);
    const path = clientPath(tenantB, String(created.body['client_id']));
    const read = await call('GET', path, adminOfB);
    assert.equal(read.body['tls_client_auth_subject_dn'], 'CN=payments.example.test,O=Example');

    const patched = await call(
      'PATCH',
      path,
      adminOfB,
      { tls_client_auth_subject_dn: null, tls_client_auth_san_dns: 'payments.example.test' },
      { 'if-match': read.headers.get('etag') ?? '' },
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body['tls_client_auth_san_dns'], 'payments.example.test');
    assert.equal(patched.body['tls_client_auth_subject_dn'], undefined);

    const twoSubjects = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'Two subjects',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=a',
      tls_client_auth_san_dns: 'a.example.test',
    });
    assert.equal(twoSubjects.status, 400);
    assert.equal(fieldOf(twoSubjects), 'token_endpoint_auth_method');
    assert.match(JSON.stringify(twoSubjects.body), /exactly one of tls_client_auth_subject_dn/);
    const none = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'No subject',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'tls_client_auth',
    });
    assert.equal(none.status, 400);
    assert.equal(fieldOf(none), 'token_endpoint_auth_method');
    const secretWithSubject = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'Secret with subject',
      grant_types: ['client_credentials'],
      tls_client_auth_san_dns: 'a.example.test',
    });
    assert.equal(fieldOf(secretWithSubject), 'tls_client_auth_san_dns');
  });

  it("authorization_details_types (RFC 9396 §10): a subset of the tenant's types, shown, changed and cleared by PATCH", async () => {
    const tenant = await server.admin.tenants.get(tenantB);
    await server.admin.tenants.update(tenantB, tenant, {
      authorizationDetailsTypes: { payment_initiation: { type: 'object' }, account_information: { type: 'object' } },
    });
    const created = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'Payments',
      grant_types: ['client_credentials'],
      authorization_details_types: ['payment_initiation'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body['authorization_details_types'], ['payment_initiation']);
    const path = clientPath(tenantB, String(created.body['client_id']));
    let etag = (await call('GET', path, adminOfB)).headers.get('etag') ?? '';
    const unknown = await call('PATCH', path, adminOfB, { authorization_details_types: ['loans'] }, { 'if-match': etag });
    assert.equal(unknown.status, 400);
    assert.equal(fieldOf(unknown), 'authorization_details_types');
    const malformed = await call('PATCH', path, adminOfB, { authorization_details_types: 'payment_initiation' }, { 'if-match': etag });
    assert.equal(fieldOf(malformed), 'authorization_details_types');
    const widened = await call(
      'PATCH',
      path,
      adminOfB,
      { authorization_details_types: ['payment_initiation', 'account_information'] },
      { 'if-match': etag },
    );
    assert.equal(widened.status, 200, JSON.stringify(widened.body));
    assert.deepEqual(widened.body['authorization_details_types'], ['payment_initiation', 'account_information']);
    etag = widened.headers.get('etag') ?? '';
    const cleared = await call('PATCH', path, adminOfB, { authorization_details_types: null }, { 'if-match': etag });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body['authorization_details_types'], null, "null: any of the tenant's types");

    // The tenant drops a type a client still holds: an unrelated change to that client goes through and
    // keeps it; a type the tenant never had, or no longer has and the client did not hold, is still refused.
    etag = cleared.headers.get('etag') ?? '';
    const holding = await call('PATCH', path, adminOfB, { authorization_details_types: ['account_information'] }, { 'if-match': etag });
    assert.equal(holding.status, 200);
    await server.admin.tenants.update(tenantB, await server.admin.tenants.get(tenantB), {
      authorizationDetailsTypes: { payment_initiation: { type: 'object' } },
    });
    etag = holding.headers.get('etag') ?? '';
    const renamed = await call('PATCH', path, adminOfB, { client_name: 'Payments (renamed)' }, { 'if-match': etag });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual(renamed.body['authorization_details_types'], ['account_information']);
    etag = renamed.headers.get('etag') ?? '';
    const stillUnknown = await call(
      'PATCH',
      path,
      adminOfB,
      { authorization_details_types: ['account_information', 'loans'] },
      { 'if-match': etag },
    );
    assert.equal(stillUnknown.status, 400);
    assert.equal(fieldOf(stillUnknown), 'authorization_details_types');
    const other = await call('POST', `/tenants/${tenantB}/clients`, adminOfB, {
      client_name: 'Late',
      grant_types: ['client_credentials'],
      authorization_details_types: ['account_information'],
    });
    assert.equal(other.status, 400, 'a dropped type is not given to a client that did not hold it');
  });

  describe('secret rotation with a grace period, at the real token endpoint', () => {
    let clientId: string;
    const s: string[] = [];

    it('a new secret is shown once; during the default grace period both secrets authenticate', async () => {
      const created = await create(tenantA, {
        client_name: 'Orders worker',
        grant_types: ['client_credentials'],
        scope: 'orders:read',
      });
      assert.equal(created.status, 201);
      clientId = String(created.body['client_id']);
      s.push(String(created.body['client_secret']));
      assert.equal((await tokenWith(clientId, s[0] ?? '')).status, 200);

      const rotated = await rotate(clientId);
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      s.push(String(rotated.body['client_secret']));
      assert.notEqual(s[1], s[0]);
      const expiresAt = Date.parse(String(rotated.body['previous_secret_expires_at']));
      assert.ok(Math.abs(expiresAt - (Date.now() + 86_400_000)) < 60_000, 'default grace period is a day');
      assert.equal((await call('GET', clientPath(tenantA, clientId), adminOfA)).body['client_secret'], undefined, 'shown once');

      for (const secret of [s[0], s[1]]) {
        const issued = await tokenWith(clientId, secret ?? '');
        assert.equal(issued.status, 200, JSON.stringify(issued.body));
        assert.ok(issued.body['access_token']);
      }
      const token = String((await tokenWith(clientId, s[1] ?? '')).body['access_token']);
      const introspected = await tokenWith(clientId, s[0] ?? '', 'introspect', { token });
      assert.equal(introspected.status, 200, 'the previous secret also authenticates at introspection');
      assert.equal(introspected.body['active'], true);
    });

    it('after the grace period only the new secret works; the refusal is invalid_client and changes nothing', async () => {
      const rotated = await rotate(clientId, { grace_period_seconds: 1 });
      assert.equal(rotated.status, 200);
      s.push(String(rotated.body['client_secret']));
      const first = await tokenWith(clientId, s[0] ?? '');
      assert.equal(first.status, 401, 'only one previous secret is kept: the first is gone');
      assert.equal(first.body['error'], 'invalid_client');
      assert.equal((await tokenWith(clientId, s[1] ?? '')).status, 200, 'the replaced secret works during its grace period');
      assert.equal((await tokenWith(clientId, s[2] ?? '')).status, 200);

      // The grace period ends on the authorization server's clock: moved on, not slept through.
      server.advance(2);
      const before = await call('GET', clientPath(tenantA, clientId), adminOfA);
      const expired = await tokenWith(clientId, s[1] ?? '');
      assert.equal(expired.status, 401);
      assert.equal(expired.body['error'], 'invalid_client');
      assert.match(expired.headers.get('www-authenticate') ?? '', /^Basic/);
      assert.equal((await tokenWith(clientId, s[1] ?? '', 'revoke', { token: 'x' })).status, 401, 'nor at revocation');
      const afterwards = await call('GET', clientPath(tenantA, clientId), adminOfA);
      assert.equal(afterwards.headers.get('etag'), before.headers.get('etag'), 'the refused attempt changed nothing');
      assert.equal((await tokenWith(clientId, s[2] ?? '')).status, 200);
      server.advance(-2);
    });

    it('a grace period of 0 ends the old secret at once', async () => {
      const rotated = await rotate(clientId, { grace_period_seconds: 0 });
      assert.equal(rotated.status, 200);
      s.push(String(rotated.body['client_secret']));
      assert.equal((await tokenWith(clientId, s[2] ?? '')).status, 401);
      assert.equal((await tokenWith(clientId, s[3] ?? '')).status, 200);
    });

    it('refuses a grace period outside 0..2592000 seconds, naming the field', async () => {
      const etag = (await call('GET', clientPath(tenantA, clientId), adminOfA)).headers.get('etag');
      for (const grace of [-1, 2_592_001, 1.5, '60']) {
        const refused = await rotate(clientId, { grace_period_seconds: grace });
        assert.equal(refused.status, 400, String(grace));
        assert.equal(fieldOf(refused), 'grace_period_seconds');
      }
      const typo = await rotate(clientId, { grace_period: 0 });
      assert.equal(typo.status, 400, 'a misspelt option is refused, not ignored (the default grace would apply)');
      assert.equal(fieldOf(typo), 'grace_period');
      assert.equal((await call('GET', clientPath(tenantA, clientId), adminOfA)).headers.get('etag'), etag);
      assert.equal((await tokenWith(clientId, s[3] ?? '')).status, 200, 'the secret did not change');
    });

    it("tenant isolation: tenant B's admin gets 404 on tenant A's client, and the client is unchanged", async () => {
      const path = clientPath(tenantA, clientId);
      const before = await call('GET', path, adminOfA);
      const etag = before.headers.get('etag') ?? '';
      const attempts: [string, string, unknown?, Record<string, string>?][] = [
        ['GET', path],
        ['PATCH', path, { client_name: 'Hijacked', redirect_uris: ['https://evil.example.test/cb'] }, { 'if-match': etag }],
        ['PATCH', path, { client_name: 'Hijacked' }, { 'if-match': '*' }],
        ['POST', `${path}/secret`, { grace_period_seconds: 0 }],
        ['DELETE', path],
        // tenant B's own path with tenant A's client_id
        ['PATCH', clientPath(tenantB, clientId), { client_name: 'Hijacked' }, { 'if-match': '*' }],
        ['POST', `${clientPath(tenantB, clientId)}/secret`, {}],
        ['GET', clientPath(tenantB, clientId)],
      ];
      for (const [method, target, body, headers] of attempts) {
        const refused = await call(method, target, adminOfB, body, headers);
        assert.equal(refused.status, 404, `${method} ${target}`);
        assert.equal(refused.body['client_secret'], undefined);
      }
      const afterwards = await call('GET', path, adminOfA);
      assert.equal(afterwards.headers.get('etag'), etag, "tenant A's client is unchanged");
      assert.deepEqual(afterwards.body, before.body);
      assert.equal((await tokenWith(clientId, s[3] ?? '')).status, 200, 'its secret still works');
    });

    it('delete: the client is gone and its secret no longer authenticates', async () => {
      assert.equal((await call('DELETE', clientPath(tenantA, clientId), adminOfA)).status, 204);
      assert.equal((await call('GET', clientPath(tenantA, clientId), adminOfA)).status, 404);
      assert.equal((await call('DELETE', clientPath(tenantA, clientId), adminOfA)).status, 404);
      assert.equal((await rotate(clientId)).status, 404);
      const refused = await tokenWith(clientId, s[3] ?? '');
      assert.equal(refused.status, 401);
      assert.equal(refused.body['error'], 'invalid_client');
    });

    it('every client write is an admin.change event in the outbox with before/after and no secret or hash', async () => {
      const tenant = await tenantRow(tenantA);
      const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(tenant.id, 5000);
      const mine = events.filter((e) => e.type === 'admin.change' && (e.details as { target?: string })['target'] === clientId);
      const actions = mine.map((e) => (e.details as { action: string }).action);
      assert.deepEqual(actions.sort(), [
        'admin.client.created',
        'admin.client.deleted',
        'admin.client.secret_rotated',
        'admin.client.secret_rotated',
        'admin.client.secret_rotated',
      ]);
      for (const event of mine) assert.equal((event.details as { actor: string }).actor, 'gatehouse-cli');
      const rotation = mine.find((e) => (e.details as { action: string }).action === 'admin.client.secret_rotated');
      assert.ok((rotation?.details as { before: unknown }).before, 'before is recorded');
      assert.ok((rotation?.details as { after: unknown }).after, 'after is recorded');

      const all = JSON.stringify(events);
      assert.equal(secrets.length, 5, 'two created clients with secrets, three rotations');
      for (const secret of secrets) {
        assert.ok(!all.includes(secret), 'no client secret in the audit trail');
        assert.ok(!all.includes(hashOpaqueSecret(secret)), 'no secret hash in the audit trail');
      }
      const updates = events.filter((e) => (e.details as { action?: string })['action'] === 'admin.client.updated');
      assert.equal(updates.length, 3, 'one event per successful PATCH (two in the lifecycle, one JWK Set), none for a refused one');
      const renamed = updates.find((e) => (e.details as { after?: { client_name?: string } })['after']?.client_name === 'Shop 2');
      assert.equal((renamed?.details as { before: { client_name: string } }).before.client_name, 'Shop');
    });
  });
});
