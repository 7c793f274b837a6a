import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure, type Tenant, type User } from '@gatehouse/persistence';
import { verifyPassword } from '@gatehouse/tokens';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { testConfig, uniqueSlug } from '../../../../test/support/index.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'violet tractor under moonlight';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Users in the admin API: lifecycle, validation with field names, and tenant isolation on every route. */
describe('admin API users', () => {
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let base: string;
  let services: AdminServices;
  let adminOfA: string;
  let adminOfB: string;
  let tenantA: Tenant;
  const slugA = uniqueSlug('usr-a');
  const slugB = uniqueSlug('usr-b');

  before(async () => {
    const config = testConfig();
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    await services.tenants.create(slugA);
    await services.tenants.create(slugB);
    tenantA = await services.tenants.get(slugA);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    adminOfA = (await services.adminTokens.mint({ tenant: slugA })).accessToken;
    adminOfB = (await services.adminTokens.mint({ tenant: slugB })).accessToken;
  });
  after(async () => {
    await app?.close();
    await infrastructure?.close();
  });

  async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const all: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  function assertProblem(reply: Reply, status: number, code: string, field?: string): void {
    assert.equal(reply.status, status, JSON.stringify(reply.body));
    assert.equal(reply.body['code'], code);
    if (field) assert.deepEqual((reply.body['errors'] as { field: string }[] | undefined)?.[0]?.field, field);
  }

  const repos = () => infrastructure.persistence.repositories;
  const stored = async (username: string): Promise<User> => {
    const user = await repos().users.findByUsername(tenantA.id, username);
    assert.ok(user);
    return user;
  };

  async function addSession(userId: string): Promise<string> {
    const now = new Date();
    return repos().sessions.insert(tenantA.id, {
      userId,
      tokenHash: randomBytes(32).toString('hex'),
      authTime: now,
      amr: ['pwd'],
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
  }

  async function addGrant(userId: string, clientId: string, sessionId: string | null): Promise<string> {
    return repos().refreshTokens.createFamily(tenantA.id, {
      clientId,
      userId,
      sessionId,
      scopes: ['openid'],
      resource: null,
      authTime: new Date(),
      amr: ['pwd'],
      absoluteExpiresAt: new Date(Date.now() + 86_400_000),
    });
  }

  async function adminActions(): Promise<string[]> {
    const events = await repos().auditOutbox.listByTenant(tenantA.id, 1000);
    return events.filter((event) => event.type === 'admin.change').map((event) => String(event.details?.['action']));
  }

  it('the OpenAPI document shows every user route, and says disabling signs the user out', async () => {
    const origin = base.replace(/\/admin\/v1$/, '');
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    const user = '/admin/v1/tenants/{tenant}/users/{username}';
    assert.ok(document.paths[user]?.['get'] && document.paths[user]?.['patch']);
    assert.match(document.paths[user]?.['patch']?.description ?? '', /disabled also signs the user out everywhere/);
    assert.ok(document.paths[`${user}/password`]?.['post']);
    assert.ok(document.paths[`${user}/unlock`]?.['post']);
    assert.ok(document.paths[`${user}/reset-factors`]?.['post']);
    assert.ok(document.paths[`${user}/sessions`]?.['get'] && document.paths[`${user}/sessions`]?.['delete']);
    assert.ok(document.paths[`${user}/consents`]?.['get']);
    assert.ok(document.paths[`${user}/consents/{clientId}`]?.['delete']);
  });

  describe('lifecycle', () => {
    let etag: string;
    let userId: string;

    it('create, then GET with an ETag; the representation shows lock state and never a password hash', async () => {
      const created = await call('POST', `/tenants/${slugA}/users`, adminOfA, {
        username: 'erin',
        email: 'erin@example.com',
        password: PASSWORD,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      userId = String(created.body['id']);
      const fetched = await call('GET', `/tenants/${slugA}/users/erin`, adminOfA);
      assert.equal(fetched.status, 200);
      etag = fetched.headers.get('etag') ?? '';
      assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
      assert.equal(fetched.body['locked'], false);
      assert.equal(fetched.body['locked_until'], null);
      assert.equal(fetched.body['last_login_at'], null);
      assert.equal(fetched.body['failed_login_count'], 0);
      assert.ok(!JSON.stringify(fetched.body).includes('argon2'), 'no password hash');
      assert.ok(!Object.keys(fetched.body).some((key) => /password/.test(key)));
      assert.ok((await adminActions()).includes('admin.user.created'));
    });

    it('PATCH needs If-Match (428), applies with it and returns the new ETag', async () => {
      assertProblem(await call('PATCH', `/tenants/${slugA}/users/erin`, adminOfA, { name: 'Erin' }), 428, 'precondition_required');
      const patched = await call(
        'PATCH',
        `/tenants/${slugA}/users/erin`,
        adminOfA,
        { name: 'Erin Example', email_verified: true },
        { 'if-match': etag },
      );
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body['name'], 'Erin Example');
      assert.equal(patched.body['email_verified'], true);
      const newEtag = patched.headers.get('etag') ?? '';
      assert.notEqual(newEtag, etag);
      assert.equal((await call('GET', `/tenants/${slugA}/users/erin`, adminOfA)).headers.get('etag'), newEtag, 'GET agrees with PATCH');

      const stale = await call('PATCH', `/tenants/${slugA}/users/erin`, adminOfA, { name: 'Lost Update' }, { 'if-match': etag });
      assertProblem(stale, 412, 'precondition_failed');
      assert.equal((await stored('erin')).name, 'Erin Example', 'the stale write changed nothing');
      etag = newEtag;

      const audit = await repos().auditOutbox.listByTenant(tenantA.id, 1000);
      const updated = audit.find((event) => event.details?.['action'] === 'admin.user.updated');
      assert.equal((updated?.details?.['before'] as Record<string, unknown>)['name'], null);
      assert.equal((updated?.details?.['after'] as Record<string, unknown>)['name'], 'Erin Example');
    });

    it('a new email resets email_verified unless it is sent too', async () => {
      const patched = await call('PATCH', `/tenants/${slugA}/users/erin`, adminOfA, { email: 'erin@new.example' }, { 'if-match': etag });
      assert.equal(patched.status, 200);
      assert.equal(patched.body['email'], 'erin@new.example');
      assert.equal(patched.body['email_verified'], false);
      etag = patched.headers.get('etag') ?? '';
    });

    it('validation errors name the field, and change nothing', async () => {
      const before = await stored('erin');
      const path = `/tenants/${slugA}/users/erin`;
      const ifMatch = { 'if-match': etag };
      assertProblem(await call('PATCH', path, adminOfA, { status: 'banned' }, ifMatch), 400, 'validation_failed', 'status');
      assertProblem(await call('PATCH', path, adminOfA, { email: 'not-an-address' }, ifMatch), 400, 'validation_failed', 'email');
      assertProblem(await call('PATCH', path, adminOfA, { email_verified: 'yes' }, ifMatch), 400, 'validation_failed', 'email_verified');
      assertProblem(await call('PATCH', path, adminOfA, { name: '' }, ifMatch), 400, 'validation_failed', 'name');
      assertProblem(await call('PATCH', path, adminOfA, { password: NEW_PASSWORD }, ifMatch), 400, 'validation_failed', 'password');
      assertProblem(await call('PATCH', path, adminOfA, { username: 'mallory' }, ifMatch), 400, 'validation_failed', 'username');
      const password = await call('PATCH', path, adminOfA, { password: 'a new one, long enough' }, ifMatch);
      assertProblem(password, 400, 'validation_failed', 'password');
      assert.match(String(password.body['detail']), /password cannot be changed here; use POST \.\.\.\/password/);
      assertProblem(await call('PATCH', path, adminOfA, [], ifMatch), 400, 'validation_failed');
      assertProblem(await call('POST', `${path}/password`, adminOfA, {}), 400, 'validation_failed', 'password');
      assertProblem(await call('POST', `${path}/password`, adminOfA, { password: 42 }), 400, 'validation_failed', 'password');
      assertProblem(
        await call('POST', `${path}/password`, adminOfA, { password: NEW_PASSWORD, end_sessions: 'no' }),
        400,
        'validation_failed',
        'end_sessions',
      );
      assertProblem(await call('GET', `${path}/sessions?limit=0`, adminOfA), 400, 'validation_failed', 'limit');
      assertProblem(await call('GET', `${path}/sessions?cursor=bm90LWEtY3Vyc29y`, adminOfA), 400, 'validation_failed', 'cursor');
      assertProblem(
        await call('POST', `/tenants/${slugA}/users`, adminOfA, { username: 'bad name!' }),
        400,
        'validation_failed',
        'username',
      );
      assertProblem(await call('GET', `/tenants/${slugA}/users/nobody`, adminOfA), 404, 'not_found');
      const after = await stored('erin');
      assert.deepEqual(after, before);
    });

    it('password reset: a weak password is refused; a good one replaces the hash, clears the lockout and ends sessions', async () => {
      const sessionId = await addSession(userId);
      await addSession(userId);
      const grantId = await addGrant(userId, 'app-1', sessionId);
      await repos().users.recordFailedLogin(tenantA.id, 'erin', new Date(), { threshold: 1, lockoutSeconds: 600, hardLockThreshold: 100 });
      const before = await repos().users.findPasswordHash(tenantA.id, 'erin');

      const weak = await call('POST', `/tenants/${slugA}/users/erin/password`, adminOfA, { password: 'password' });
      assertProblem(weak, 400, 'weak_password', 'password');
      assert.equal((await repos().users.findPasswordHash(tenantA.id, 'erin'))?.passwordHash, before?.passwordHash, 'hash unchanged');

      const reset = await call('POST', `/tenants/${slugA}/users/erin/password`, adminOfA, { password: NEW_PASSWORD });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.deepEqual(reset.body['signed_out'], { sessions: 2, grants: 1, backchannel_logouts: 0 });
      assert.equal(reset.body['locked'], false);
      assert.equal(reset.body['failed_login_count'], 0);
      const hash = (await repos().users.findPasswordHash(tenantA.id, 'erin'))?.passwordHash ?? '';
      assert.ok(await verifyPassword(hash, NEW_PASSWORD));
      assert.ok(!(await verifyPassword(hash, PASSWORD)));
      assert.ok((await repos().refreshTokens.findFamily(tenantA.id, grantId))?.revokedAt, 'the grant is revoked');
      assert.deepEqual((await call('GET', `/tenants/${slugA}/users/erin/sessions`, adminOfA)).body['items'], []);

      const kept = await call('POST', `/tenants/${slugA}/users/erin/password`, adminOfA, { password: PASSWORD, end_sessions: false });
      assert.equal(kept.body['signed_out'], null);

      const events = await repos().auditOutbox.listByTenant(tenantA.id, 1000);
      assert.ok(events.some((event) => event.details?.['action'] === 'admin.user.credential_reset'));
      const serialized = JSON.stringify(events);
      assert.ok(!serialized.includes(NEW_PASSWORD) && !serialized.includes(PASSWORD), 'no password in the audit trail');
    });

    it('lists active sessions newest first with cursor pagination, client ids and no secrets', async () => {
      const ended = await addSession(userId);
      await repos().sessions.end(tenantA.id, ended, new Date());
      const first = await addSession(userId);
      await addGrant(userId, 'app-2', first);
      const second = await addSession(userId);
      const third = await addSession(userId);
      const page1 = await call('GET', `/tenants/${slugA}/users/erin/sessions?limit=2`, adminOfA);
      assert.equal(page1.status, 200);
      const items1 = page1.body['items'] as Record<string, unknown>[];
      assert.deepEqual(
        items1.map((item) => item['id']),
        [third, second],
      );
      assert.equal(typeof page1.body['next_cursor'], 'string');
      const page2 = await call(
        'GET',
        `/tenants/${slugA}/users/erin/sessions?limit=2&cursor=${String(page1.body['next_cursor'])}`,
        adminOfA,
      );
      const items2 = page2.body['items'] as Record<string, unknown>[];
      assert.deepEqual(
        items2.map((item) => item['id']),
        [first],
      );
      assert.equal(page2.body['next_cursor'], null);
      assert.deepEqual(items2[0]?.['client_ids'], ['app-2']);
      assert.deepEqual(Object.keys(items2[0] ?? {}).sort(), ['amr', 'auth_time', 'client_ids', 'created_at', 'expires_at', 'id']);
    });

    it('lists consents; revoking one withdraws it and the grants it backed, and only those', async () => {
      await repos().consents.grant(tenantA.id, userId, 'app-a', ['openid', 'profile'], new Date());
      await repos().consents.grant(tenantA.id, userId, 'app-b', ['openid'], new Date());
      await repos().consents.grant(tenantA.id, userId, 'app-b', ['read'], new Date(), 'https://api-1.example.test');
      const grantA = await addGrant(userId, 'app-a', null);
      const grantB = await addGrant(userId, 'app-b', null);
      const listed = await call('GET', `/tenants/${slugA}/users/erin/consents`, adminOfA);
      assert.equal(listed.status, 200);
      const items = listed.body['items'] as Record<string, unknown>[];
      assert.deepEqual(
        items.map((item) => [item['client_id'], item['scopes']]),
        [
          ['app-a', ['openid', 'profile']],
          ['app-b', ['openid', 'read']],
        ],
      );
      assert.ok(!Number.isNaN(Date.parse(String(items[0]?.['granted_at']))));
      // Each consent says which API its scopes are for: null is the OpenID scopes (no API).
      assert.deepEqual(
        items.map((item) => (item['resources'] as Record<string, unknown>[]).map((entry) => [entry['resource'], entry['scopes']])),
        [
          [[null, ['openid', 'profile']]],
          [
            [null, ['openid']],
            ['https://api-1.example.test', ['read']],
          ],
        ],
      );
      const resourceEntry = (items[1]?.['resources'] as Record<string, unknown>[])[1];
      assert.deepEqual(Object.keys(resourceEntry ?? {}).sort(), ['granted_at', 'resource', 'scopes']);
      assert.ok(!Number.isNaN(Date.parse(String(resourceEntry?.['granted_at']))));

      const revoked = await call('DELETE', `/tenants/${slugA}/users/erin/consents/app-a`, adminOfA);
      assert.equal(revoked.status, 204);
      assert.deepEqual(await repos().consents.findScopes(tenantA.id, userId, 'app-a'), []);
      assert.ok((await repos().refreshTokens.findFamily(tenantA.id, grantA))?.revokedAt, 'the grant under that consent is revoked');
      assert.equal((await repos().refreshTokens.findFamily(tenantA.id, grantB))?.revokedAt, null, 'another client is untouched');
      assertProblem(await call('DELETE', `/tenants/${slugA}/users/erin/consents/app-a`, adminOfA), 404, 'not_found');
      const after = await call('GET', `/tenants/${slugA}/users/erin/consents`, adminOfA);
      assert.deepEqual(
        (after.body['items'] as Record<string, unknown>[]).map((item) => item['client_id']),
        ['app-b'],
      );
      assert.ok((await adminActions()).includes('admin.user.consent_revoked'));
    });

    it('disabling ends every session and revokes every grant, in the response and the audit trail', async () => {
      const grant = await addGrant(userId, 'app-3', await addSession(userId));
      const current = await call('GET', `/tenants/${slugA}/users/erin`, adminOfA);
      const disabled = await call(
        'PATCH',
        `/tenants/${slugA}/users/erin`,
        adminOfA,
        { status: 'disabled' },
        { 'if-match': current.headers.get('etag') ?? '' },
      );
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      assert.equal(disabled.body['status'], 'disabled');
      const signedOut = disabled.body['signed_out'] as Record<string, number>;
      assert.ok((signedOut['sessions'] ?? 0) >= 4 && (signedOut['grants'] ?? 0) >= 2, JSON.stringify(signedOut));
      assert.deepEqual((await call('GET', `/tenants/${slugA}/users/erin/sessions`, adminOfA)).body['items'], []);
      assert.ok((await repos().refreshTokens.findFamily(tenantA.id, grant))?.revokedAt);
      assert.equal((await stored('erin')).status, 'disabled');
      assert.ok((await adminActions()).includes('admin.user.disabled'));
    });

    it('unlock clears the lockout (204)', async () => {
      await call('POST', `/tenants/${slugA}/users`, adminOfA, { username: 'frank', password: PASSWORD });
      await repos().users.recordFailedLogin(tenantA.id, 'frank', new Date(), { threshold: 1, lockoutSeconds: 600, hardLockThreshold: 100 });
      const locked = await call('GET', `/tenants/${slugA}/users/frank`, adminOfA);
      assert.equal(locked.body['locked'], true);
      assert.ok(Date.parse(String(locked.body['locked_until'])) > Date.now());
      const unlocked = await call('POST', `/tenants/${slugA}/users/frank/unlock`, adminOfA);
      assert.equal(unlocked.status, 204);
      const after = await call('GET', `/tenants/${slugA}/users/frank`, adminOfA);
      assert.equal(after.body['locked'], false);
      assert.equal(after.body['locked_until'], null);
      assert.equal(after.body['failed_login_count'], 0);
      assert.notEqual(after.headers.get('etag'), locked.headers.get('etag'));
      assert.ok((await adminActions()).includes('admin.user.unlocked'));
    });

    it('a hard lock shows as hard_locked; only unlock (204) lifts it, and the change is audited with the state before', async () => {
      await call('POST', `/tenants/${slugA}/users`, adminOfA, { username: 'hank', password: PASSWORD });
      const policy = { threshold: 1_000, lockoutSeconds: 600, hardLockThreshold: 10 };
      for (let i = 0; i < 10; i++) await repos().users.recordFailedLogin(tenantA.id, 'hank', new Date(), policy);
      const locked = await call('GET', `/tenants/${slugA}/users/hank`, adminOfA);
      assert.equal(locked.body['locked'], true);
      assert.equal(locked.body['hard_locked'], true);
      assert.ok(Date.parse(String(locked.body['hard_locked_at'])) <= Date.now());
      assert.equal(locked.body['consecutive_failed_logins'], 10);
      assert.equal(locked.body['locked_until'], null, 'no temporary lock: the hard lock has no end');
      const listed = await call('GET', `/tenants/${slugA}/users?locked=true`, adminOfA);
      assert.ok((listed.body['items'] as Record<string, unknown>[]).some((item) => item['username'] === 'hank'));

      const reset = await call('POST', `/tenants/${slugA}/users/hank/password`, adminOfA, { password: NEW_PASSWORD });
      assert.equal(reset.body['hard_locked'], true, 'a password reset does not lift it');

      const unlocked = await call('POST', `/tenants/${slugA}/users/hank/unlock`, adminOfA);
      assert.equal(unlocked.status, 204);
      const after = await call('GET', `/tenants/${slugA}/users/hank`, adminOfA);
      assert.equal(after.body['locked'], false);
      assert.equal(after.body['hard_locked'], false);
      assert.equal(after.body['hard_locked_at'], null);
      assert.equal(after.body['consecutive_failed_logins'], 0);
      const user = await repos().users.findByUsername(tenantA.id, 'hank');
      const events = await repos().auditOutbox.listByTenant(tenantA.id, 1000);
      const change = events.find(
        (event) =>
          event.type === 'admin.change' && event.details?.['action'] === 'admin.user.unlocked' && event.details['target'] === user?.id,
      );
      assert.ok(change, 'audited as admin.change');
      assert.equal((change.details?.['before'] as Record<string, unknown>)['hard_locked'], true);
      assert.equal((change.details?.['after'] as Record<string, unknown>)['hard_locked'], false);
      assertProblem(await call('POST', `/tenants/${slugA}/users/nobody/unlock`, adminOfA), 404, 'not_found');
    });

    it('reset-factors removes the TOTP factor, recovery codes and passkeys (204), audited', async () => {
      await call('POST', `/tenants/${slugA}/users`, adminOfA, { username: 'gina', password: PASSWORD });
      const gina = await repos().users.findByUsername(tenantA.id, 'gina');
      assert.ok(gina);
      await repos().secondFactors.savePendingTotp(tenantA.id, gina.id, 'v1.sealed');
      await repos().secondFactors.confirmTotp(tenantA.id, gina.id, 1, new Date());
      await repos().secondFactors.replaceRecoveryCodes(tenantA.id, gina.id, ['h1', 'h2']);
      const passkey = { publicKey: 'pQE', counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, name: 'Key' } as const;
      await repos().passkeys.insert(tenantA.id, { ...passkey, userId: gina.id, credentialId: 'gina-key' });
      const reset = await call('POST', `/tenants/${slugA}/users/gina/reset-factors`, adminOfA);
      assert.equal(reset.status, 204);
      assert.equal(await repos().passkeys.countForUser(tenantA.id, gina.id), 0, 'passkeys too (docs/adr/0010)');
      assert.equal(await repos().secondFactors.findTotp(tenantA.id, gina.id), null);
      assert.equal(await repos().secondFactors.countUnusedRecoveryCodes(tenantA.id, gina.id), 0);
      assert.ok((await adminActions()).includes('admin.user.factors_reset'));
      const unknown = await call('POST', `/tenants/${slugA}/users/nobody/reset-factors`, adminOfA);
      assert.equal(unknown.status, 404);
    });

    it('delete erases the user with their sessions, grants, consents and factors, audited; the name can be used again', async () => {
      await call('POST', `/tenants/${slugA}/users`, adminOfA, { username: 'hana', email: 'hana@example.com', password: PASSWORD });
      const hana = await stored('hana');
      const session = await addSession(hana.id);
      const grant = await addGrant(hana.id, 'app-h', session);
      await repos().consents.grant(tenantA.id, hana.id, 'app-h', ['openid'], new Date());
      await repos().secondFactors.savePendingTotp(tenantA.id, hana.id, 'v1.sealed');

      const deleted = await call('DELETE', `/tenants/${slugA}/users/hana`, adminOfA);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.equal(deleted.body['deleted'], 'hana');
      assert.equal((deleted.body['signed_out'] as Record<string, number>)['sessions'], 1);
      assert.equal((await call('GET', `/tenants/${slugA}/users/hana`, adminOfA)).status, 404);
      assert.equal(await repos().users.findById(tenantA.id, hana.id), null);
      assert.equal(await repos().refreshTokens.findFamily(tenantA.id, grant), null, 'the grant is gone');
      assert.equal(await repos().secondFactors.findTotp(tenantA.id, hana.id), null);
      // A token minted from that grant or session no longer stands anywhere it is checked.
      const standing = await repos().tokenStanding.check(
        tenantA.id,
        { jti: randomUUID(), clientId: 'app-h', userId: hana.id, grantId: grant, sessionId: session },
        new Date(),
      );
      assert.equal(standing.standing, false);
      const events = await repos().auditOutbox.listByTenant(tenantA.id, 1000);
      const audited = events.find((event) => event.type === 'admin.change' && event.details?.['action'] === 'admin.user.deleted');
      assert.equal(audited?.details?.['target'], hana.id);
      assert.equal((audited?.details?.['before'] as Record<string, unknown>)['username'], 'hana');
      assert.ok(!JSON.stringify(audited).includes('argon2'), 'no password hash in the audit trail');

      assert.equal((await call('DELETE', `/tenants/${slugA}/users/hana`, adminOfA)).status, 404);
      const again = await call('POST', `/tenants/${slugA}/users`, adminOfA, {
        username: 'hana',
        email: 'hana@example.com',
        password: PASSWORD,
      });
      assert.equal(again.status, 201, JSON.stringify(again.body));
    });
  });

  describe('tenant isolation: an admin of tenant B gets 404 on every route for a user of tenant A', () => {
    let victim: User;
    let etag: string;
    let sessionId: string;
    let grantId: string;

    before(async () => {
      await services.users.create({ tenant: slugA, username: 'victim', email: 'victim@example.com', password: PASSWORD });
      victim = await stored('victim');
      sessionId = await addSession(victim.id);
      grantId = await addGrant(victim.id, 'app-v', sessionId);
      await repos().consents.grant(tenantA.id, victim.id, 'app-v', ['openid'], new Date());
      await repos().users.recordFailedLogin(tenantA.id, 'victim', new Date(), {
        threshold: 1,
        lockoutSeconds: 600,
        hardLockThreshold: 100,
      });
      victim = await stored('victim');
      await repos().secondFactors.savePendingTotp(tenantA.id, victim.id, 'v1.sealed');
      etag = (await call('GET', `/tenants/${slugA}/users/victim`, adminOfA)).headers.get('etag') ?? '';
    });

    const routes = (slug: string): [string, string, unknown?, Record<string, string>?][] => [
      ['GET', `/tenants/${slug}/users/victim`],
      ['PATCH', `/tenants/${slug}/users/victim`, { status: 'disabled', name: 'Pwned' }, { 'if-match': '*' }],
      ['POST', `/tenants/${slug}/users/victim/password`, { password: NEW_PASSWORD }],
      ['POST', `/tenants/${slug}/users/victim/unlock`],
      ['POST', `/tenants/${slug}/users/victim/reset-factors`],
      ['GET', `/tenants/${slug}/users/victim/sessions`],
      ['DELETE', `/tenants/${slug}/users/victim/sessions`],
      ['GET', `/tenants/${slug}/users/victim/consents`],
      ['DELETE', `/tenants/${slug}/users/victim/consents/app-v`],
      ['DELETE', `/tenants/${slug}/users/victim`],
    ];

    it("through tenant A's slug: 404 tenant_not_found, as if A did not exist", async () => {
      for (const [method, path, body, headers] of routes(slugA)) {
        const reply = await call(method, path, adminOfB, body, headers);
        assertProblem(reply, 404, 'tenant_not_found');
        assert.ok(!JSON.stringify(reply.body).includes(victim.id), `${method} ${path} leaks nothing`);
      }
    });

    it("through tenant B's own slug: 404 not_found, A's user is unknown there", async () => {
      for (const [method, path, body, headers] of routes(slugB)) {
        assertProblem(await call(method, path, adminOfB, body, headers), 404, 'not_found');
      }
    });

    it("A's user keeps its second factor", async () => {
      assert.equal((await repos().secondFactors.findTotp(tenantA.id, victim.id))?.sealedSecret, 'v1.sealed');
    });

    it("A's user is unchanged: profile, lock, password, sessions, grant and consent", async () => {
      const now = await stored('victim');
      assert.deepEqual(now, victim);
      assert.ok(await verifyPassword((await repos().users.findPasswordHash(tenantA.id, 'victim'))?.passwordHash ?? '', PASSWORD));
      assert.ok(await repos().sessions.findActiveById(tenantA.id, sessionId, new Date()));
      assert.equal((await repos().refreshTokens.findFamily(tenantA.id, grantId))?.revokedAt, null);
      assert.deepEqual(await repos().consents.findScopes(tenantA.id, victim.id, 'app-v'), ['openid']);
      assert.equal((await call('GET', `/tenants/${slugA}/users/victim`, adminOfA)).headers.get('etag'), etag);
    });
  });
});
