import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { testConfig, uniqueSlug } from '../../../../test/support/index.js';

describe('admin API /admin/v1: authentication, roles, tenant isolation, clients', () => {
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let base: string;
  let services: AdminServices;
  let platform: string;
  let adminOfA: string;
  const tenantA = uniqueSlug('adm-a');
  const tenantB = uniqueSlug('adm-b');

  before(async () => {
    const config = testConfig();
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    await services.tenants.create(tenantA);
    await services.tenants.create(tenantB);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    platform = (await services.adminTokens.mint({})).accessToken;
    adminOfA = (await services.adminTokens.mint({ tenant: tenantA })).accessToken;
  });
  after(async () => {
    await app?.close();
    await infrastructure?.close();
  });

  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  it('serves the OpenAPI document generated from the code and a browsable UI at /docs', async () => {
    const origin = base.replace(/\/admin\/v1$/, '');
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(document.openapi, /^3\./);
    assert.ok(document.paths['/admin/v1/tenants/{tenant}/clients']);
    const ui = await fetch(`${origin}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger-ui-bundle\.js/);
    assert.match(ui.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal((await fetch(`${origin}/docs/swagger-ui-bundle.js`)).status, 200);
  });

  it('no token is 401 with a bare Bearer challenge and a problem document', async () => {
    const response = await call('GET', '/tenants', null);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(response.body['code'], 'unauthorized');
  });

  it('a forged or foreign token is 401 invalid_token', async () => {
    const [header, payload] = platform.split('.');
    for (const token of ['garbage', `${header}.${payload}.AAAA`]) {
      const response = await call('GET', '/tenants', token);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    }
  });

  it('a platform admin lists tenants with cursor pagination', async () => {
    const first = await call('GET', '/tenants?limit=1', platform);
    assert.equal(first.status, 200);
    const items = first.body['items'] as { slug: string }[];
    assert.equal(items.length, 1);
    assert.ok(first.body['next_cursor']);
    const second = await call('GET', `/tenants?limit=1&cursor=${first.body['next_cursor'] as string}`, platform);
    assert.notEqual((second.body['items'] as { slug: string }[])[0]?.slug, items[0]?.slug);
    assert.equal((await call('GET', '/tenants?limit=500', platform)).status, 400);
  });

  it('a platform admin creates a tenant; a malformed slug is a 400 naming the field', async () => {
    const slug = uniqueSlug('adm-new');
    const created = await call('POST', '/tenants', platform, { slug, name: 'New Co' });
    assert.equal(created.status, 201);
    assert.equal(created.body['slug'], slug);
    const bad = await call('POST', '/tenants', platform, { slug: 'Bad Slug' });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body['errors'] as { field: string }[])[0]?.field, 'slug');
    assert.equal((await call('POST', '/tenants', platform, { slug })).status, 409);
  });

  it('a tenant admin may not list or create tenants (403)', async () => {
    assert.equal((await call('GET', '/tenants', adminOfA)).status, 403);
    assert.equal((await call('POST', '/tenants', adminOfA, { slug: uniqueSlug('x') })).status, 403);
  });

  it('client lifecycle: create (secret shown once), get, list, delete', async () => {
    const created = await call('POST', `/tenants/${tenantA}/clients`, adminOfA, {
      client_name: 'Shop',
      redirect_uris: ['https://shop.example.test/cb'],
    });
    assert.equal(created.status, 201);
    const clientId = String(created.body['client_id']);
    assert.ok(created.body['client_secret']);
    const fetched = await call('GET', `/tenants/${tenantA}/clients/${clientId}`, adminOfA);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.body['client_secret'], undefined);
    assert.deepEqual(fetched.body['redirect_uris'], ['https://shop.example.test/cb']);
    const listed = await call('GET', `/tenants/${tenantA}/clients`, adminOfA);
    assert.ok((listed.body['items'] as { client_id: string }[]).some((c) => c.client_id === clientId));
    assert.equal((await call('DELETE', `/tenants/${tenantA}/clients/${clientId}`, adminOfA)).status, 204);
    assert.equal((await call('GET', `/tenants/${tenantA}/clients/${clientId}`, adminOfA)).status, 404);
  });

  it('users, keys and APIs: create, read, rotate, sign out everywhere', async () => {
    const user = await call('POST', `/tenants/${tenantA}/users`, adminOfA, {
      username: 'erin',
      email: 'erin@example.com',
      password: 'a long enough passphrase',
    });
    assert.equal(user.status, 201);
    assert.equal(user.body['password'], undefined);
    assert.equal((await call('GET', `/tenants/${tenantA}/users/erin`, adminOfA)).body['email'], 'erin@example.com');
    assert.equal(
      (await call('POST', `/tenants/${tenantA}/users`, adminOfA, { username: 'weak', password: 'short' })).body['code'],
      'weak_password',
    );
    assert.deepEqual((await call('DELETE', `/tenants/${tenantA}/users/erin/sessions`, adminOfA)).body, {
      sessions: 0,
      grants: 0,
      backchannel_logouts: 0,
    });

    const keys = await call('GET', `/tenants/${tenantA}/keys`, adminOfA);
    assert.deepEqual((keys.body['items'] as { alg: string }[]).map((k) => k.alg).sort(), ['ES256', 'RS256']);
    const rotated = await call('POST', `/tenants/${tenantA}/keys/rotate`, adminOfA);
    assert.equal((rotated.body['keys'] as unknown[]).length, 2);
    assert.equal(((await call('GET', `/tenants/${tenantA}/keys`, adminOfA)).body['items'] as unknown[]).length, 4);

    const api = await call('POST', `/tenants/${tenantA}/apis`, adminOfA, {
      identifier: 'https://orders.example.test',
      scope: 'orders:read',
    });
    assert.equal(api.status, 201);
    assert.ok(
      ((await call('GET', `/tenants/${tenantA}/apis`, adminOfA)).body['items'] as { identifier: string }[]).some(
        (a) => a.identifier === 'https://orders.example.test',
      ),
    );
  });

  it('tenant settings change only with a matching If-Match (428 without, 412 when stale)', async () => {
    const read = await call('GET', `/tenants/${tenantA}`, platform);
    const etag = read.headers.get('etag') ?? '';
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const patch = (ifMatch: string | null, body: unknown) =>
      fetch(`${base}/tenants/${tenantA}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${platform}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: JSON.stringify(body),
      });
    assert.equal((await patch(null, { access_token_ttl_seconds: 600 })).status, 428);
    const updated = await patch(etag, { access_token_ttl_seconds: 600 });
    assert.equal(updated.status, 200);
    assert.equal(((await updated.json()) as { access_token_ttl_seconds: number }).access_token_ttl_seconds, 600);
    assert.notEqual(updated.headers.get('etag'), etag);
    assert.equal((await patch(etag, { access_token_ttl_seconds: 900 })).status, 412, 'a stale ETag is refused');
    assert.equal((await patch(updated.headers.get('etag'), { access_token_ttl_seconds: 5 })).status, 400);
    const byTenantAdmin = await fetch(`${base}/tenants/${tenantA}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminOfA}`, 'content-type': 'application/json', 'if-match': '*' },
      body: JSON.stringify({ status: 'disabled' }),
    });
    assert.equal(byTenantAdmin.status, 403, 'only a platform admin changes or disables a tenant');
  });

  it('registration tokens: created once with the token, listed without it, revoked', async () => {
    const created = await call('POST', `/tenants/${tenantA}/registration-tokens`, adminOfA, { expires_in: 3600 });
    assert.equal(created.status, 201);
    assert.ok(created.body['token']);
    const listed = await call('GET', `/tenants/${tenantA}/registration-tokens`, adminOfA);
    const item = (listed.body['items'] as Record<string, unknown>[]).find((t) => t['id'] === created.body['id']);
    assert.ok(item);
    assert.equal(item['token'], undefined);
    assert.equal((await call('DELETE', `/tenants/${tenantA}/registration-tokens/${String(created.body['id'])}`, adminOfA)).status, 204);
    assert.equal((await call('DELETE', `/tenants/${tenantA}/registration-tokens/${String(created.body['id'])}`, adminOfA)).status, 404);
  });

  it('validation errors are problem documents with field-level messages', async () => {
    const response = await call('POST', `/tenants/${tenantA}/clients`, adminOfA, {
      client_name: 'Bad',
      redirect_uris: ['http://evil.example.test/cb'],
    });
    assert.equal(response.status, 400);
    assert.equal(response.body['code'], 'validation_failed');
    assert.equal((response.body['errors'] as { field: string }[])[0]?.field, 'redirect_uris');
    assert.equal((await call('POST', `/tenants/${tenantA}/clients`, adminOfA, ['not', 'an', 'object'])).status, 400);
  });

  it("tenant isolation: every tenant route of the OpenAPI document answers 404 to tenant A's admin on tenant B, exactly as for a missing tenant", async () => {
    const victim = await services.clients.create({ tenant: tenantB, name: 'Victim', redirectUris: ['https://victim.example.test/cb'] });
    await services.users.create({ tenant: tenantB, username: 'victim' });
    const keysBefore = await services.keys.listPublished(tenantB);
    const victimToken = await services.registrationTokens.create(tenantB);
    // The routes come from the served document, so a new tenant route cannot be left out of this test.
    const origin = base.replace(/\/admin\/v1$/, '');
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const realIds: Record<string, string> = {
      clients: victim.client.clientId,
      users: 'victim',
      consents: victim.client.clientId,
      'registration-tokens': victimToken.registrationToken.id,
    };
    const routes: [string, string][] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      if (!template.startsWith('/admin/v1/tenants/{tenant}')) continue;
      // Each {param} takes the real id of tenant B's resource named by the segment before it, or a stand-in.
      const segments = template.replace(/^\/admin\/v1/, '').split('/');
      const path = segments
        .map((segment, index) =>
          segment === '{tenant}' ? tenantB : segment.startsWith('{') ? (realIds[segments[index - 1] ?? ''] ?? 'stand-in') : segment,
        )
        .join('/');
      for (const method of Object.keys(operations).filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key)))
        routes.push([method.toUpperCase(), path]);
    }
    assert.ok(routes.length >= 40, `every tenant route of the document (${routes.length})`);
    for (const [method, path] of routes) {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const response = await call(method, path, adminOfA, body);
      const missing = await call(method, path.replace(tenantB, 'no-such-tenant'), adminOfA, body);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body['code'], missing.body['code'], `${method} ${path} must look like a missing tenant`);
    }
    assert.equal((await services.clients.get(tenantB, victim.client.clientId)).name, 'Victim', 'nothing changed in tenant B');
    assert.equal((await services.keys.listPublished(tenantB)).length, keysBefore.length, 'no key rotated in tenant B');
    assert.equal((await services.users.listPage(tenantB, null, 10)).length, 1, 'no user created in tenant B');
    assert.deepEqual(
      (await services.registrationTokens.list(tenantB)).map((t) => t.revokedAt),
      [null],
      'no registration token revoked or added in tenant B',
    );
  });

  it('admin changes are audited with the actor and without secrets', async () => {
    const tenant = await infrastructure.persistence.repositories.tenants.findBySlug(tenantA);
    assert.ok(tenant);
    const events = await infrastructure.persistence.repositories.auditOutbox.listByTenant(tenant.id, 1000);
    const created = events.find((e) => e.type === 'admin.change' && (e.details as { action?: string })?.action === 'admin.client.created');
    assert.ok(created);
    assert.equal((created.details as { actor: string }).actor, 'gatehouse-cli');
    assert.doesNotMatch(JSON.stringify(created), /client_secret":"[^[]/);
  });
});
