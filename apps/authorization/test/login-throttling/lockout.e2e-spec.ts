import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attemptLogin, createLoginTenant, loginError, PASSWORD, REDIRECT_URI, startClockedServer } from './login-throttling.fixture.js';
import type { ClockedServer, LoginAttempt, LoginTenant } from './login-throttling.fixture.js';

const GENERIC = 'Incorrect username or password.';
const LOCKED = 'Too many failed sign-in attempts for this account. Try again later, or contact support.';

/** Account lockout and per-IP login throttling on the real login page, driven over HTTP. */
describe('login lockout and throttling', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  before(async () => {
    server = await startClockedServer();
    tenant = await createLoginTenant(server, { lockoutThreshold: 3, lockoutSeconds: 120, loginAttemptsPerIpPerMinute: 1000 }, [
      'alice',
      'bob',
      'carol',
    ]);
  });
  after(async () => {
    await server?.close();
  });

  const user = async (username: string) => {
    const found = await server.admin.users.get(tenant.slug, username);
    return found;
  };

  function assertRefused(attempt: LoginAttempt, message = GENERIC): void {
    assert.equal(attempt.status, 401);
    assert.equal(loginError(attempt.html), message);
    assert.equal(attempt.location, null, 'no redirect to the client');
    assert.equal(attempt.headers.getSetCookie().filter((cookie) => cookie.includes('gh_session')).length, 0, 'no session cookie');
  }

  function assertSignedIn(attempt: LoginAttempt): void {
    assert.equal(attempt.status, 303, `expected a redirect, got ${attempt.status}: ${loginError(attempt.html) ?? ''}`);
    assert.ok(attempt.location?.startsWith(REDIRECT_URI), `landed at ${attempt.location}`);
    assert.ok(new URL(attempt.location ?? '').searchParams.get('code'));
  }

  it('each wrong password is counted; reaching the threshold locks the account and says so', async () => {
    for (let i = 1; i <= 2; i++) {
      assertRefused(await attemptLogin(server, tenant, 'alice', `wrong password ${i}`));
      const counted = await user('alice');
      assert.equal(counted.failedLoginCount, i);
      assert.equal(counted.lockedUntil, null, 'not locked below the threshold');
    }
    assertRefused(await attemptLogin(server, tenant, 'alice', 'wrong password 3'), LOCKED);
    const locked = await user('alice');
    assert.equal(locked.failedLoginCount, 3);
    assert.ok(locked.lockedUntil, 'locked at the threshold');
    const expected = server.now().getTime() + 120_000;
    assert.ok(Math.abs(locked.lockedUntil.getTime() - expected) < 5_000, 'locked for lockoutSeconds');
  });

  it('a locked account is refused even with the right password, with the same notice as a wrong one, and the lock is not extended', async () => {
    const before = await user('alice');
    const wrong = await attemptLogin(server, tenant, 'alice', 'still wrong');
    const right = await attemptLogin(server, tenant, 'alice', PASSWORD);
    assertRefused(wrong, LOCKED);
    assertRefused(right, LOCKED);
    assert.equal(loginError(right.html), loginError(wrong.html), 'lock state is not an oracle');
    const after = await user('alice');
    assert.equal(after.failedLoginCount, before.failedLoginCount, 'attempts during the lock are not counted');
    assert.equal(after.lockedUntil?.getTime(), before.lockedUntil?.getTime(), 'and do not extend it');
    assert.equal(after.lastLoginAt, null);

    const persistence = server.infrastructure.persistence;
    const events = await persistence.repositories.auditOutbox.listByTenant(after.tenantId, 1000);
    const reasons = events.filter((event) => event.type === 'login.failed').map((event) => event.details?.['reason']);
    assert.ok(reasons.includes('locked'), 'the audit trail keeps the real reason');
    assert.ok(!events.some((event) => event.type === 'login.succeeded'));
  });

  it('an admin unlock lets the right password in; a successful login resets the count and records last_login_at', async () => {
    await server.admin.users.unlock(tenant.slug, 'alice', 'test-admin');
    const unlocked = await user('alice');
    assert.equal(unlocked.failedLoginCount, 0);
    assert.equal(unlocked.lockedUntil, null);
    // The notice stands for lockoutSeconds whatever the account does: an unlock or a successful login
    // clearing it would tell a real username from a made-up one (docs/adr/0003).
    assertRefused(await attemptLogin(server, tenant, 'alice', 'one more wrong'), LOCKED);
    assertSignedIn(await attemptLogin(server, tenant, 'alice', PASSWORD));
    const signedIn = await user('alice');
    assert.equal(signedIn.failedLoginCount, 0, 'the count is reset by a successful login');
    assertRefused(await attemptLogin(server, tenant, 'alice', 'wrong after success'), LOCKED);
    assertSignedIn(await attemptLogin(server, tenant, 'alice', PASSWORD));
    assert.ok(signedIn.lastLoginAt && Math.abs(signedIn.lastLoginAt.getTime() - server.now().getTime()) < 5_000);
  });

  it('the lock lifts when locked_until passes (injectable clock); a wrong password after it starts the count again', async () => {
    for (let i = 0; i < 3; i++) assertRefused(await attemptLogin(server, tenant, 'bob', 'nope'), i < 2 ? GENERIC : LOCKED);
    assert.ok((await user('bob')).lockedUntil);
    assertRefused(await attemptLogin(server, tenant, 'bob', PASSWORD), LOCKED);
    server.advance(121);
    assertRefused(await attemptLogin(server, tenant, 'bob', 'nope again'));
    const recounted = await user('bob');
    assert.equal(recounted.failedLoginCount, 1, 'one wrong password after the lock does not re-lock');
    assert.equal(recounted.lockedUntil, null);
    assertSignedIn(await attemptLogin(server, tenant, 'bob', PASSWORD));
  });

  it('unknown usernames lock nothing and get the same pages: the generic message, then the same lock notice', async () => {
    for (let i = 0; i < 3; i++) assertRefused(await attemptLogin(server, tenant, 'nobody-here', PASSWORD), i < 2 ? GENERIC : LOCKED);
    assertRefused(await attemptLogin(server, tenant, 'nobody-here', 'another guess'), LOCKED);
  });

  it('a disabled user cannot log in with the right password; enabled again, they can', async () => {
    const carol = await user('carol');
    await server.admin.users.update(tenant.slug, carol, { status: 'disabled' }, 'test-admin');
    assertRefused(await attemptLogin(server, tenant, 'carol', PASSWORD));
    const disabled = await user('carol');
    assert.equal(disabled.lastLoginAt, null);
    assert.equal(disabled.failedLoginCount, 0, 'a disabled account is not counted');
    await server.admin.users.update(tenant.slug, disabled, { status: 'active' }, 'test-admin');
    assertSignedIn(await attemptLogin(server, tenant, 'carol', PASSWORD));
  });

  it('more than loginAttemptsPerIpPerMinute attempts from one IP get 429 with Retry-After, even with the right password', async () => {
    const throttled = await createLoginTenant(server, { loginAttemptsPerIpPerMinute: 3, lockoutThreshold: 100 }, ['dave']);
    // The window is a fixed minute: start one second into a fresh one, so the attempts never straddle two.
    server.advance((60_000 - (server.now().getTime() % 60_000) + 1_000) / 1000);
    for (let i = 0; i < 3; i++) assertRefused(await attemptLogin(server, throttled, 'dave', `guess ${i}`));
    const refused = await attemptLogin(server, throttled, 'dave', PASSWORD);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${refused.headers.get('retry-after')}`);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
    assert.match(refused.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(refused.headers.get('x-frame-options'), 'DENY');
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    assert.match(refused.html, /Too many/);
    assert.equal(refused.location, null);
    const dave = await server.admin.users.get(throttled.slug, 'dave');
    assert.equal(dave.lastLoginAt, null, 'the throttled attempt did not sign in');
    assert.equal(dave.failedLoginCount, 3, 'nor was its password checked');

    assertSignedIn(await attemptLogin(server, tenant, 'alice', PASSWORD));
    server.advance(retryAfter);
    assertSignedIn(await attemptLogin(server, throttled, 'dave', PASSWORD));
  });
});
