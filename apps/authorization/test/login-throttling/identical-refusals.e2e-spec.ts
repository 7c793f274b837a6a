import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attemptLogin, createLoginTenant, loginError, PASSWORD, startClockedServer } from './login-throttling.fixture.js';
import type { ClockedServer, LoginAttempt, LoginTenant } from './login-throttling.fixture.js';

/**
 * Issue 13: an unknown username, a wrong password, a locked, a hard-locked and a disabled account
 * get the same page — status, message and markup — and the real reason is only in the audit trail.
 */
describe('identical refusals', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  before(async () => {
    server = await startClockedServer();
    tenant = await createLoginTenant(server, { lockoutThreshold: 5, hardLockThreshold: 10, loginAttemptsPerIpPerMinute: 10_000 }, [
      'wendy',
      'lena',
      'hugo',
      'dora',
    ]);
  });
  after(async () => {
    await server?.close();
  });

  /** What differs between any two sign-ins by design: the per-interaction handle, CSRF token and CSP nonce, and the username typed. */
  function normalised(attempt: LoginAttempt): string {
    return attempt.html
      .replace(/\/interaction\/[A-Za-z0-9_-]+\//g, '/interaction/HANDLE/')
      .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="CSRF"')
      .replace(/nonce="[^"]*"/g, 'nonce="NONCE"')
      .replace(/name="username" value="[^"]*"/g, 'name="username" value="USER"');
  }

  it('all five read "Incorrect username or password." in the same page', async () => {
    const { repositories } = server.infrastructure.persistence;
    const { tenantId } = await server.admin.users.get(tenant.slug, 'lena');
    // Locked by the repository, so the lock notice (counted per username, docs/adr/0003) has the same history for all five: none.
    await repositories.users.recordFailedLogin(tenantId, 'lena', server.now(), {
      threshold: 1,
      lockoutSeconds: 600,
      hardLockThreshold: 100,
    });
    for (let i = 0; i < 10; i++)
      await repositories.users.recordFailedLogin(tenantId, 'hugo', server.now(), {
        threshold: 1_000,
        lockoutSeconds: 1,
        hardLockThreshold: 10,
      });
    const dora = await server.admin.users.get(tenant.slug, 'dora');
    await server.admin.users.update(tenant.slug, dora, { status: 'disabled' }, 'test-admin');
    assert.ok((await server.admin.users.get(tenant.slug, 'lena')).lockedUntil);
    assert.ok((await server.admin.users.get(tenant.slug, 'hugo')).hardLockedAt);

    const refusals = {
      unknown_user: await attemptLogin(server, tenant, 'nobody-at-all', PASSWORD),
      wrong_password: await attemptLogin(server, tenant, 'wendy', 'not the password'),
      locked: await attemptLogin(server, tenant, 'lena', PASSWORD),
      hard_locked: await attemptLogin(server, tenant, 'hugo', PASSWORD),
      disabled: await attemptLogin(server, tenant, 'dora', PASSWORD),
    };
    const reference = refusals.unknown_user;
    assert.equal(reference.status, 401);
    assert.equal(loginError(reference.html), 'Incorrect username or password.');
    for (const [reason, attempt] of Object.entries(refusals)) {
      assert.equal(attempt.status, reference.status, reason);
      assert.equal(attempt.location, null, reason);
      assert.equal(normalised(attempt), normalised(reference), `${reason}: the same page as an unknown username`);
    }

    const events = await repositories.auditOutbox.listByTenant(tenantId, 1000);
    const reasons = new Map(
      events.filter((event) => event.type === 'login.failed').map((event) => [event.username, event.details?.['reason']]),
    );
    assert.deepEqual(Object.fromEntries(reasons), {
      'nobody-at-all': 'unknown_user',
      wendy: 'wrong_password',
      lena: 'locked',
      hugo: 'hard_locked',
      dora: 'disabled',
    });
  });
});
