import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attemptLogin, createLoginTenant, loginError, PASSWORD, REDIRECT_URI, startClockedServer } from './login-throttling.fixture.js';
import type { ClockedServer, LoginAttempt, LoginTenant } from './login-throttling.fixture.js';

const GENERIC = 'Incorrect username or password.';
const LOCKED = 'Too many failed sign-in attempts for this account. Try again later, or contact support.';

/** The hard lock (docs/adr/0003, NIST SP 800-63B §5.2.2) on the real login page, driven over HTTP. */
describe('hard lock after consecutive failures', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  before(async () => {
    server = await startClockedServer();
    // A lock at every 3rd failure (no progressive delay before it) and the hard lock at the 10th, to keep it fast.
    tenant = await createLoginTenant(
      server,
      { lockoutThreshold: 3, lockoutSeconds: 60, hardLockThreshold: 10, loginAttemptsPerIpPerMinute: 10_000 },
      ['hana', 'ivo'],
    );
  });
  after(async () => {
    await server?.close();
  });

  const user = (username: string, slug = tenant.slug) => server.admin.users.get(slug, username);
  const loginFailures = async (username: string) => {
    const found = await user(username);
    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(found.tenantId, 1000);
    return events.filter((event) => event.type === 'login.failed' && event.username === username);
  };

  function assertRefused(attempt: LoginAttempt, message = GENERIC): void {
    assert.equal(attempt.status, 401);
    assert.equal(loginError(attempt.html), message);
    assert.equal(attempt.location, null);
  }

  it('counts wrong passwords across temporary locks and hard-locks at hardLockThreshold, audited at that moment', async () => {
    for (let lock = 0; lock < 3; lock++) {
      for (let i = 1; i <= 3; i++)
        assertRefused(await attemptLogin(server, tenant, 'hana', `guess ${lock}-${i}`), i < 3 ? GENERIC : LOCKED);
      assertRefused(await attemptLogin(server, tenant, 'hana', PASSWORD), LOCKED);
      server.advance(61);
    }
    const before = await user('hana');
    assert.equal(before.consecutiveFailedLogins, 9, 'nine counted; the right password during the locks was not');
    assert.equal(before.hardLockedAt, null);
    assertRefused(await attemptLogin(server, tenant, 'hana', 'guess 10'));
    const locked = await user('hana');
    assert.ok(locked.hardLockedAt, 'the tenth consecutive failure hard-locks');
    const failures = await loginFailures('hana');
    const moment = failures.filter((event) => event.details?.['hard_locked'] === true);
    assert.equal(moment.length, 1, 'login.failed says so once, at the moment of the hard lock');
    assert.equal(moment[0]?.details?.['consecutive_failed_logins'], 10);
  });

  it('the right password is then refused with the generic message, however long after; the reason is only in the audit trail', async () => {
    server.advance(61);
    assertRefused(await attemptLogin(server, tenant, 'hana', PASSWORD));
    server.advance(86_400 * 30);
    assertRefused(await attemptLogin(server, tenant, 'hana', PASSWORD));
    const reasons = (await loginFailures('hana')).map((event) => event.details?.['reason']);
    assert.equal(reasons.at(-1), 'hard_locked');
    assert.equal((await user('hana')).lastLoginAt, null);
  });

  it("an admin's unlock lifts it: the right password signs in", async () => {
    await server.admin.users.unlock(tenant.slug, 'hana', 'test-admin');
    const attempt = await attemptLogin(server, tenant, 'hana', PASSWORD);
    assert.equal(attempt.status, 303, loginError(attempt.html) ?? '');
    assert.ok(attempt.location?.startsWith(REDIRECT_URI));
    const unlocked = await user('hana');
    assert.equal(unlocked.consecutiveFailedLogins, 0);
    assert.equal(unlocked.hardLockedAt, null);
  });

  it('a successful login resets the consecutive count', async () => {
    server.advance(61);
    for (let i = 0; i < 2; i++) assertRefused(await attemptLogin(server, tenant, 'ivo', 'nope'));
    assert.equal((await user('ivo')).consecutiveFailedLogins, 2);
    assert.equal((await attemptLogin(server, tenant, 'ivo', PASSWORD)).status, 303);
    assert.equal((await user('ivo')).consecutiveFailedLogins, 0);
  });

  it('with the default policy the 100th consecutive failure hard-locks (the count set through the repository)', async () => {
    const defaults = await createLoginTenant(server, { loginAttemptsPerIpPerMinute: 10_000 }, ['centurion']);
    const { tenantId } = await user('centurion', defaults.slug);
    const counting = { threshold: 1_000, lockoutSeconds: 1, hardLockThreshold: 100 };
    for (let i = 0; i < 99; i++)
      await server.infrastructure.persistence.repositories.users.recordFailedLogin(tenantId, 'centurion', server.now(), counting);
    assert.equal((await user('centurion', defaults.slug)).hardLockedAt, null, 'not at 99');
    assertRefused(await attemptLogin(server, defaults, 'centurion', 'the hundredth guess'));
    assert.ok((await user('centurion', defaults.slug)).hardLockedAt);
    server.advance(3_600);
    assertRefused(await attemptLogin(server, defaults, 'centurion', PASSWORD));
  });
});
