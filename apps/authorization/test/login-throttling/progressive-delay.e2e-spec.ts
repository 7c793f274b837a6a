import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attemptLogin, createLoginTenant, loginError, PASSWORD, startClockedServer } from './login-throttling.fixture.js';
import type { ClockedServer, LoginAttempt, LoginTenant } from './login-throttling.fixture.js';

const GENERIC = 'Incorrect username or password.';
const THROTTLED = 'Too many failed sign-in attempts for this account. Wait a few seconds and try again.';

/** The progressive delay before the temporary lock (docs/adr/0003): per username, known or not. */
describe('progressive delay', () => {
  let server: ClockedServer;
  let tenant: LoginTenant;
  before(async () => {
    server = await startClockedServer();
    tenant = await createLoginTenant(server, { lockoutThreshold: 10, lockoutSeconds: 600, loginAttemptsPerIpPerMinute: 10_000 }, ['pat']);
  });
  after(async () => {
    await server?.close();
  });

  function assertThrottled(attempt: LoginAttempt, seconds: number): void {
    assert.equal(attempt.status, 429);
    assert.equal(attempt.headers.get('retry-after'), String(seconds));
    assert.equal(loginError(attempt.html), THROTTLED);
    assert.equal(attempt.location, null);
  }

  /** Three failures, then attempts at once: refused until 1 s, then 2 s, then 4 s have passed since the last failure. */
  async function drive(username: string): Promise<LoginAttempt[]> {
    const seen: LoginAttempt[] = [];
    for (let i = 0; i < 3; i++) seen.push(await attemptLogin(server, tenant, username, `guess ${i}`));
    seen.push(await attemptLogin(server, tenant, username, PASSWORD));
    server.advance(1);
    seen.push(await attemptLogin(server, tenant, username, 'guess 3'));
    seen.push(await attemptLogin(server, tenant, username, PASSWORD));
    server.advance(2);
    seen.push(await attemptLogin(server, tenant, username, 'guess 4'));
    seen.push(await attemptLogin(server, tenant, username, PASSWORD));
    return seen;
  }

  it('from the 3rd failure the next attempt waits 1 s, then 2 s, then 4 s, the password unchecked', async () => {
    const seen = await drive('pat');
    for (const index of [0, 1, 2, 4, 6]) {
      assert.equal(seen[index]?.status, 401);
      assert.equal(loginError(seen[index]?.html ?? ''), GENERIC);
    }
    assertThrottled(seen[3] as LoginAttempt, 1);
    assertThrottled(seen[5] as LoginAttempt, 2);
    assertThrottled(seen[7] as LoginAttempt, 4);
    const pat = await server.admin.users.get(tenant.slug, 'pat');
    assert.equal(pat.failedLoginCount, 5, 'the throttled attempts were not counted: their password was not checked');
    assert.equal(pat.lastLoginAt, null, 'the right password did not sign in while throttled');

    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(pat.tenantId, 1000);
    const throttled = events.filter((event) => event.type === 'login.failed' && event.details?.['reason'] === 'throttled');
    assert.equal(throttled.length, 3, 'audited as login.failed, reason throttled');

    server.advance(4);
    const signedIn = await attemptLogin(server, tenant, 'pat', PASSWORD);
    assert.equal(signedIn.status, 303, 'once the delay has passed, the right password signs in');
  });

  it('a made-up username waits exactly as long, with the same page', async () => {
    const seen = await drive('nobody-by-that-name');
    assert.deepEqual(
      seen.map((attempt) => [attempt.status, attempt.headers.get('retry-after'), loginError(attempt.html)]),
      [
        [401, null, GENERIC],
        [401, null, GENERIC],
        [401, null, GENERIC],
        [429, '1', THROTTLED],
        [401, null, GENERIC],
        [429, '2', THROTTLED],
        [401, null, GENERIC],
        [429, '4', THROTTLED],
      ],
    );
  });
});
