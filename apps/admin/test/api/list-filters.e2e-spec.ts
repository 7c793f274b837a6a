import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure, type Tenant } from '@gatehouse/persistence';
import { Clock, DEFAULT_REGISTRATION_POLICY } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { testConfig, uniqueSlug } from '../../../../test/support/index.js';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

type Item = Record<string, unknown>;

/**
 * Filters on every admin list: each narrows to the exact set, composes with keyset pagination (limit=1
 * walks the filtered set without repeats or gaps), refuses a bad value with a 400 naming the parameter,
 * and never reveals another tenant's rows.
 */
describe('admin API list filters', () => {
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let base: string;
  let services: AdminServices;
  let platform: string;
  let adminOfA: string;
  let adminOfB: string;
  let tenantA: Tenant;
  let tenantB: Tenant;
  /** Every tenant of this file starts with it, so tenant lists are exact despite a shared database. */
  const prefix = uniqueSlug('lf');
  const slugA = `${prefix}-a`;
  const slugB = `${prefix}-b`;
  const slugOff = `${prefix}-off`;
  const WEBHOOK_SECRET = `whsec-${randomBytes(24).toString('base64url')}`;
  /** The admin app's clock runs this far ahead of the real one (its services' time, not the tokens'). */
  let clockAheadMs = 0;

  before(async () => {
    const config = testConfig({ SIEM_ALLOW_PRIVATE_TARGETS: 'true' }); // its sinks point at loopback: never a real receiver
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    for (const slug of [slugA, slugB, slugOff]) await services.tenants.create(slug);
    await services.tenants.update(slugOff, await services.tenants.get(slugOff), { status: 'disabled' });
    tenantA = await services.tenants.get(slugA);
    tenantB = await services.tenants.get(slugB);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }), {
      clock: new Clock(() => new Date(Date.now() + clockAheadMs)),
    });
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    platform = (await services.adminTokens.mint({})).accessToken;
    adminOfA = (await services.adminTokens.mint({ tenant: slugA })).accessToken;
    adminOfB = (await services.adminTokens.mint({ tenant: slugB })).accessToken;
  });
  after(async () => {
    await app?.close();
    // The database is shared with test files that run an audit worker: leave no sink for it to export to.
    const sinks = infrastructure?.persistence.repositories.siemSinks;
    for (const tenant of [tenantA, tenantB].filter(Boolean)) {
      for (const sink of (await sinks?.list(tenant.id)) ?? []) await sinks?.delete(tenant.id, sink.id);
    }
    await infrastructure?.close();
  });

  async function call(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function created(path: string, token: string, body: unknown): Promise<Item> {
    const reply = await call('POST', path, token, body);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  }

  const withQuery = (path: string, query: Record<string, string>): string => `${path}?${new URLSearchParams(query).toString()}`;

  /** The filtered list in one page. */
  async function list(path: string, query: Record<string, string>, token = adminOfA): Promise<Item[]> {
    const reply = await call('GET', withQuery(path, { ...query, limit: '100' }), token);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body['next_cursor'] ?? null, null);
    return reply.body['items'] as Item[];
  }

  /** The filtered list one item at a time; it must be the one-page list, in order, with no repeats or gaps. */
  async function walk(path: string, query: Record<string, string>, key: string, token = adminOfA): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const reply = await call('GET', withQuery(path, { ...query, limit: '1', ...(cursor ? { cursor } : {}) }), token);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      seen.push(...(reply.body['items'] as Item[]).map((item) => String(item[key])));
      cursor = reply.body['next_cursor'] as string | null;
      if (!cursor) break;
    }
    assert.equal(new Set(seen).size, seen.length, `no repeats: ${seen.join(', ')}`);
    const whole = (await list(path, query, token)).map((item) => String(item[key]));
    assert.deepEqual(seen, whole, 'limit=1 pages walk exactly the filtered set');
    return seen;
  }

  async function assertRefused(path: string, query: Record<string, string>, field: string, token = adminOfA): Promise<void> {
    const reply = await call('GET', withQuery(path, query), token);
    assert.equal(reply.status, 400, `${JSON.stringify(query)}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body['code'], 'validation_failed');
    assert.equal((reply.body['errors'] as { field: string }[] | undefined)?.[0]?.field, field);
  }

  const sorted = (values: readonly string[]): string[] => [...values].sort();

  describe('tenants', () => {
    it('status and slug_prefix narrow, and pages walk the filtered set', async () => {
      assert.deepEqual(await walk('/tenants', { slug_prefix: prefix }, 'slug', platform), [slugA, slugB, slugOff]);
      assert.deepEqual(await walk('/tenants', { slug_prefix: prefix, status: 'active' }, 'slug', platform), [slugA, slugB]);
      assert.deepEqual(await walk('/tenants', { slug_prefix: prefix, status: 'disabled' }, 'slug', platform), [slugOff]);
      assert.deepEqual(await list('/tenants', { slug_prefix: `${prefix}-o` }, platform).then((items) => items.map((t) => t['slug'])), [
        slugOff,
      ]);
    });

    it('a LIKE wildcard in slug_prefix is literal', async () => {
      assert.deepEqual(await list('/tenants', { slug_prefix: `${prefix.slice(0, -1)}_` }, platform), []);
      assert.deepEqual(await list('/tenants', { slug_prefix: '%' }, platform), []);
    });

    it('bad values are 400 naming the parameter; unknown parameters are ignored', async () => {
      await assertRefused('/tenants', { status: 'paused' }, 'status', platform);
      await assertRefused('/tenants?status=active&status=disabled', {}, 'status', platform);
      await assertRefused('/tenants', { slug_prefix: 'x'.repeat(64) }, 'slug_prefix', platform);
      assert.equal((await call('GET', '/tenants?colour=blue', platform)).status, 200);
    });
  });

  describe('clients', () => {
    const path = () => `/tenants/${slugA}/clients`;
    let web = '';
    let native = '';
    let backend = '';
    let firstParty = '';

    before(async () => {
      web = String(
        (
          await created(path(), adminOfA, {
            client_name: 'Shop 100% Ready',
            redirect_uris: ['https://shop.example.test/cb'],
          })
        )['client_id'],
      );
      native = String(
        (
          await created(path(), adminOfA, {
            client_name: 'Mobile_App',
            application_type: 'native',
            token_endpoint_auth_method: 'none',
            redirect_uris: ['com.example.app:/cb'],
          })
        )['client_id'],
      );
      backend = String(
        (
          await created(path(), adminOfA, {
            client_name: 'Back\\end service',
            token_endpoint_auth_method: 'client_secret_post',
            grant_types: ['client_credentials'],
          })
        )['client_id'],
      );
      firstParty = String(
        (
          await created(path(), platform, {
            client_name: 'SHOP console',
            first_party: true,
            redirect_uris: ['https://console.example.test/cb'],
          })
        )['client_id'],
      );
      // Tenant B has a client every filter below would match: it must never show up in A's lists.
      await created(`/tenants/${slugB}/clients`, adminOfB, {
        client_name: 'Shop 100% Ready',
        redirect_uris: ['https://b.example.test/cb'],
      });
    });

    const ids = async (query: Record<string, string>): Promise<string[]> => sorted(await walk(path(), query, 'client_id'));

    it('each filter narrows to the exact set, alone and combined, and pages walk it', async () => {
      assert.deepEqual(await ids({}), sorted([web, native, backend, firstParty]));
      assert.deepEqual(await ids({ application_type: 'native' }), [native]);
      assert.deepEqual(await ids({ application_type: 'web' }), sorted([web, backend, firstParty]));
      assert.deepEqual(await ids({ token_endpoint_auth_method: 'client_secret_post' }), [backend]);
      assert.deepEqual(await ids({ token_endpoint_auth_method: 'none' }), [native]);
      assert.deepEqual(await ids({ grant_type: 'client_credentials' }), [backend]);
      assert.deepEqual(await ids({ grant_type: 'authorization_code' }), sorted([web, native, firstParty]));
      assert.deepEqual(await ids({ first_party: 'true' }), [firstParty]);
      assert.deepEqual(await ids({ first_party: 'false' }), sorted([web, native, backend]));
      assert.deepEqual(await ids({ name: 'shop' }), sorted([web, firstParty]), 'case-insensitive substring');
      assert.deepEqual(await ids({ name: 'shop', first_party: 'false', grant_type: 'authorization_code' }), [web]);
    });

    it('LIKE wildcards and the escape character in name are literal', async () => {
      assert.deepEqual(await ids({ name: '%' }), [web]);
      assert.deepEqual(await ids({ name: '_' }), [native]);
      assert.deepEqual(await ids({ name: '\\' }), [backend]);
      assert.deepEqual(await ids({ name: '0%_R' }), []);
    });

    it('bad values are 400 naming the parameter', async () => {
      await assertRefused(path(), { application_type: 'desktop' }, 'application_type');
      await assertRefused(path(), { token_endpoint_auth_method: 'client_secret_jwt' }, 'token_endpoint_auth_method');
      await assertRefused(path(), { grant_type: 'password' }, 'grant_type');
      await assertRefused(path(), { first_party: 'yes' }, 'first_party');
      await assertRefused(path(), { name: 'n'.repeat(201) }, 'name');
    });

    it("another tenant's admin gets 404 whatever the filters", async () => {
      assert.equal((await call('GET', withQuery(path(), { name: 'shop' }), adminOfB)).status, 404);
      assert.equal((await call('GET', withQuery(path(), { first_party: 'maybe' }), adminOfB)).status, 404);
    });
  });

  describe('users, sessions and consents', () => {
    const path = () => `/tenants/${slugA}/users`;
    const repos = () => infrastructure.persistence.repositories;

    before(async () => {
      for (const [username, email] of [
        ['ann', 'Ann@Example.test'],
        ['anna', 'anna@example.test'],
        ['bob', 'bob@example.test'],
        ['an_x', null],
      ] as const)
        await created(path(), adminOfA, { username, ...(email ? { email } : {}) });
      await services.users.update(slugA, await services.users.get(slugA, 'bob'), { status: 'disabled' }, 'test');
      await repos().users.recordFailedLogin(tenantA.id, 'anna', new Date(), { threshold: 1, lockoutSeconds: 600, hardLockThreshold: 100 });
      await created(`/tenants/${slugB}/users`, adminOfB, { username: 'ann', email: 'ann@example.test' });
    });

    const names = (query: Record<string, string>): Promise<string[]> => walk(path(), query, 'username');

    it('each filter narrows to the exact set and pages walk it', async () => {
      assert.deepEqual(await names({}), ['an_x', 'ann', 'anna', 'bob']);
      assert.deepEqual(await names({ status: 'disabled' }), ['bob']);
      assert.deepEqual(await names({ status: 'active' }), ['an_x', 'ann', 'anna']);
      assert.deepEqual(await names({ email: 'ANN@example.TEST' }), ['ann'], 'exact, case-insensitive');
      assert.deepEqual(await names({ email: 'ann' }), [], 'not a substring match');
      assert.deepEqual(await names({ username_prefix: 'ann' }), ['ann', 'anna']);
      assert.deepEqual(await names({ username_prefix: 'an_' }), ['an_x'], 'the wildcard _ is literal');
      assert.deepEqual(await names({ locked: 'true' }), ['anna']);
      assert.deepEqual(await names({ locked: 'false' }), ['an_x', 'ann', 'bob']);
      assert.deepEqual(await names({ locked: 'false', status: 'active', username_prefix: 'an' }), ['an_x', 'ann']);
    });

    it('bad values are 400 naming the parameter', async () => {
      await assertRefused(path(), { status: 'locked' }, 'status');
      await assertRefused(path(), { locked: '1' }, 'locked');
      await assertRefused(path(), { email: `${'e'.repeat(320)}@x.test` }, 'email');
    });

    it('sessions and consents filter by client, and pages walk the filtered set', async () => {
      const ann = await services.users.get(slugA, 'ann');
      const sessions: string[] = [];
      for (const client of ['app-a', 'app-b', 'app-a', null]) {
        const now = new Date();
        const session = await repos().sessions.insert(tenantA.id, {
          userId: ann.id,
          tokenHash: randomBytes(32).toString('hex'),
          authTime: now,
          amr: ['pwd'],
          expiresAt: new Date(now.getTime() + 3_600_000),
        });
        sessions.push(session);
        if (client)
          await repos().refreshTokens.createFamily(tenantA.id, {
            clientId: client,
            userId: ann.id,
            sessionId: session,
            scopes: ['openid'],
            resource: null,
            authTime: now,
            amr: ['pwd'],
            absoluteExpiresAt: new Date(now.getTime() + 86_400_000),
          });
      }
      const sessionsPath = `${path()}/ann/sessions`;
      assert.deepEqual(sorted(await walk(sessionsPath, {}, 'id')), sorted(sessions));
      assert.deepEqual(sorted(await walk(sessionsPath, { client: 'app-a' }, 'id')), sorted([sessions[0]!, sessions[2]!]));
      assert.deepEqual(await walk(sessionsPath, { client: 'app-b' }, 'id'), [sessions[1]]);
      assert.deepEqual(await walk(sessionsPath, { client: 'app-c' }, 'id'), []);

      for (const client of ['app-a', 'app-b', 'app-c']) await repos().consents.grant(tenantA.id, ann.id, client, ['openid'], new Date());
      const consentsPath = `${path()}/ann/consents`;
      assert.deepEqual(await walk(consentsPath, {}, 'client_id'), ['app-a', 'app-b', 'app-c']);
      assert.deepEqual(await walk(consentsPath, { client: 'app-b' }, 'client_id'), ['app-b']);
      await assertRefused(consentsPath, { client: 'c'.repeat(129) }, 'client');
      await assertRefused(`${sessionsPath}?client=a&client=b`, {}, 'client');
    });

    it("filters never reveal another tenant's users", async () => {
      assert.deepEqual(await names({ email: 'ann@example.test' }), ['ann']);
      const inB = await list(`/tenants/${slugB}/users`, { username_prefix: 'an' }, adminOfB);
      assert.deepEqual(
        inB.map((user) => user['username']),
        ['ann'],
      );
      assert.equal((await call('GET', withQuery(path(), { email: 'ann@example.test' }), adminOfB)).status, 404);
    });
  });

  describe('APIs', () => {
    const path = () => `/tenants/${slugA}/apis`;

    before(async () => {
      await created(path(), adminOfA, { identifier: 'https://orders.example.test', scope: 'orders:read orders:write' });
      await created(path(), adminOfA, { identifier: 'https://billing.example.test', scope: 'billing:read orders:read' });
      await created(path(), adminOfA, { identifier: 'https://catalog.example.test', scope: 'catalog:read' });
      await created(`/tenants/${slugB}/apis`, adminOfB, { identifier: 'https://orders.example.test', scope: 'orders:read' });
    });

    const identifiers = (query: Record<string, string>): Promise<string[]> => walk(path(), query, 'identifier');

    it('identifier and scope narrow, and the list is cursor-paginated', async () => {
      assert.deepEqual(await identifiers({}), [
        'https://billing.example.test',
        'https://catalog.example.test',
        'https://orders.example.test',
      ]);
      assert.deepEqual(await identifiers({ identifier: 'https://orders.example.test' }), ['https://orders.example.test']);
      assert.deepEqual(await identifiers({ identifier: 'https://orders.example' }), [], 'exact, not a prefix');
      assert.deepEqual(await identifiers({ scope: 'orders:read' }), ['https://billing.example.test', 'https://orders.example.test']);
      assert.deepEqual(await identifiers({ scope: 'orders' }), []);
      assert.deepEqual(await identifiers({ scope: 'orders:read', identifier: 'https://catalog.example.test' }), []);
    });

    it('bad values are 400 naming the parameter; B sees only its own', async () => {
      await assertRefused(`${path()}?scope=a&scope=b`, {}, 'scope');
      await assertRefused(path(), { limit: '0' }, 'limit');
      const inB = await list(`/tenants/${slugB}/apis`, { scope: 'orders:read' }, adminOfB);
      assert.equal(inB.length, 1);
      assert.equal((await call('GET', withQuery(path(), { scope: 'orders:read' }), adminOfB)).status, 404);
    });
  });

  describe('registration tokens', () => {
    const path = () => `/tenants/${slugA}/registration-tokens`;
    const ids: Record<'active' | 'revoked' | 'expired', string[]> = { active: [], revoked: [], expired: [] };

    before(async () => {
      for (let i = 0; i < 2; i += 1) ids.active.push(String((await created(path(), adminOfA, { expires_in: 600 }))['id']));
      const revoked = String((await created(path(), adminOfA, { expires_in: 600 }))['id']);
      assert.equal((await call('DELETE', `${path()}/${revoked}`, adminOfA)).status, 204);
      ids.revoked.push(revoked);
      for (let i = 0; i < 2; i += 1) {
        const token = await infrastructure.persistence.repositories.registrationTokens.insert(
          tenantA.id,
          hashOpaqueSecret(randomBytes(32).toString('base64url')),
          new Date(Date.now() - 1000),
          DEFAULT_REGISTRATION_POLICY,
        );
        ids.expired.push(token.id);
      }
      await created(`/tenants/${slugB}/registration-tokens`, adminOfB, { expires_in: 600 });
    });

    it('state narrows to the exact set, and the list is cursor-paginated', async () => {
      assert.deepEqual(sorted(await walk(path(), {}, 'id')), sorted([...ids.active, ...ids.revoked, ...ids.expired]));
      for (const state of ['active', 'revoked', 'expired'] as const)
        assert.deepEqual(sorted(await walk(path(), { state }, 'id')), sorted(ids[state]), state);
    });

    it('bad values are 400 naming the parameter', async () => {
      await assertRefused(path(), { state: 'used' }, 'state');
      await assertRefused(path(), { cursor: 'bm90IGEgcG9zaXRpb24' }, 'cursor');
    });

    it("a token is expired by the admin app's clock: active until its expires_in has passed on it, then expired", async () => {
      const id = String((await created(path(), adminOfA, { expires_in: 60 }))['id']);
      const listed = async (state: string) => (await list(path(), { state })).some((item) => item['id'] === id);
      try {
        assert.ok(await listed('active'));
        clockAheadMs = 59_000;
        assert.ok(await listed('active'), 'a second before it expires');
        clockAheadMs = 61_000;
        assert.ok(await listed('expired'));
        assert.ok(!(await listed('active')));
      } finally {
        clockAheadMs = 0;
        assert.equal((await call('DELETE', `${path()}/${id}`, adminOfA)).status, 204);
      }
    });
  });

  describe('signing keys', () => {
    it('alg narrows the published keys', async () => {
      await services.tenants.update(slugA, await services.tenants.get(slugA), { accessTokenAlg: 'PS256' });
      const path = `/tenants/${slugA}/keys`;
      const all = (await call('GET', path, adminOfA)).body['items'] as Item[];
      const algs = [...new Set(all.map((key) => String(key['alg'])))];
      assert.ok(algs.includes('ES256') && algs.includes('PS256'), algs.join(', '));
      for (const alg of algs) {
        const reply = await call('GET', withQuery(path, { alg }), adminOfA);
        assert.equal(reply.status, 200);
        const kids = (reply.body['items'] as Item[]).map((key) => key['kid']);
        assert.deepEqual(sorted(kids.map(String)), sorted(all.filter((key) => key['alg'] === alg).map((key) => String(key['kid']))), alg);
      }
      await assertRefused(path, { alg: 'HS256' }, 'alg');
      assert.equal((await call('GET', withQuery(path, { alg: 'ES256' }), adminOfB)).status, 404);
    });
  });

  describe('SIEM sinks', () => {
    const path = () => `/tenants/${slugA}/siem-sinks`;
    const ids: Record<string, string> = {};

    before(async () => {
      ids['syslog'] = String((await created(path(), adminOfA, { type: 'syslog', url: 'tls://127.0.0.1:9' }))['id']);
      ids['hookOn'] = String(
        (await created(path(), adminOfA, { type: 'webhook', url: 'https://127.0.0.1:9/a', secret: WEBHOOK_SECRET }))['id'],
      );
      ids['hookOff'] = String(
        (await created(path(), adminOfA, { type: 'webhook', url: 'https://127.0.0.1:9/b', secret: WEBHOOK_SECRET }))['id'],
      );
      await infrastructure.persistence.repositories.siemSinks.setEnabled(tenantA.id, ids['hookOff'], false);
      await created(`/tenants/${slugB}/siem-sinks`, adminOfB, { type: 'webhook', url: 'https://127.0.0.1:9/c', secret: WEBHOOK_SECRET });
    });

    it('type and enabled narrow, and pages walk the filtered set', async () => {
      assert.deepEqual(sorted(await walk(path(), {}, 'id')), sorted([ids['syslog']!, ids['hookOn']!, ids['hookOff']!]));
      assert.deepEqual(sorted(await walk(path(), { type: 'webhook' }, 'id')), sorted([ids['hookOn']!, ids['hookOff']!]));
      assert.deepEqual(await walk(path(), { type: 'splunk-hec' }, 'id'), []);
      assert.deepEqual(await walk(path(), { enabled: 'false' }, 'id'), [ids['hookOff']]);
      assert.deepEqual(await walk(path(), { enabled: 'true', type: 'webhook' }, 'id'), [ids['hookOn']]);
    });

    it('bad values are 400 naming the parameter; B sees only its own', async () => {
      await assertRefused(path(), { type: 'kafka' }, 'type');
      await assertRefused(path(), { enabled: 'on' }, 'enabled');
      assert.equal((await list(`/tenants/${slugB}/siem-sinks`, { type: 'webhook' }, adminOfB)).length, 1);
      assert.equal((await call('GET', withQuery(path(), { type: 'webhook' }), adminOfB)).status, 404);
    });
  });
});
