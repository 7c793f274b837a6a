import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tenant } from '@gatehouse/persistence';
import { appendAuditRecords } from '../support/audit-records.fixture.js';
import { CONSOLE, PASSWORD, Platform, type SignedIn } from './items-1-6-10-14.fixture.js';

const TENANT = 'streamed';
/** The stream polls every half second; it must end well within this after the token stops standing. */
const ENDS_WITHIN_MS = 2000;

/** One open audit stream, read in the background: the record ids it delivered and when it ended. */
class Tail {
  readonly delivered: string[] = [];
  endedAt: number | null = null;
  private readonly done: Promise<void>;

  private constructor(
    readonly status: number,
    body: ReadableStream<Uint8Array> | null,
    private readonly abort: AbortController,
  ) {
    this.done = this.read(body);
  }

  static async open(url: string, token: string): Promise<Tail> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    return new Tail(response.status, response.body, abort);
  }

  /** Waits until the record was delivered, or fails after `timeoutMs`. */
  async delivers(id: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.delivered.includes(id)) {
      assert.ok(this.endedAt === null, 'the stream ended before delivering the record');
      assert.ok(Date.now() < deadline, 'the record was not delivered in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** When the server ended the response, or null if it is still open after `timeoutMs`. */
  async ended(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]).finally(() => clearTimeout(timer));
    return this.endedAt;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((line) => line.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) this.delivered.push(String((JSON.parse(data.slice(6)) as { id: unknown }).id));
        }
      }
      this.endedAt = Date.now();
    } catch {
      // Aborted by close(): the client left, the server did not end it.
    }
  }
}

/**
 * Issue 10 item 1 (review): the audit stream was checked once, when it opened, then ran until
 * the token's expiry. Each case opens the stream over HTTP with an administrator's console token,
 * shows a record arriving, makes the token stop standing, writes a record right after, and
 * asserts the server ends the stream within two seconds without sending that record.
 */
describe('security item 1: an open audit stream ends when its token stops standing', { skip: !process.env['DATABASE_URL'] }, () => {
  let platform: Platform;
  let tenant: Tenant;
  before(async () => {
    platform = await Platform.start();
    await platform.services.tenants.create(TENANT, 'Streamed Corp');
    tenant = await platform.services.tenants.get(TENANT);
  });
  after(async () => {
    await platform?.close();
  });

  const append = async (username: string): Promise<string> => {
    const [record] = await appendAuditRecords(platform.infrastructure.persistence, tenant, [{ type: 'login.failed', username }]);
    assert.ok(record);
    return record.id;
  };

  /** An administrator signed in through the console, with an open stream that is shown to deliver. */
  async function streaming(username: string, role: string): Promise<{ signedIn: SignedIn; tail: Tail }> {
    await platform.services.users.create({ tenant: 'system', username, password: PASSWORD, roles: [role] });
    const signedIn = await platform.consoleLogin(username);
    const tail = await Tail.open(`${platform.adminBase}/tenants/${TENANT}/audit-records/stream`, signedIn.tokens.access_token);
    assert.equal(tail.status, 200);
    await tail.delivers(await append(`${username}-before`));
    return { signedIn, tail };
  }

  /** After `stop`, a record written at once is never delivered and the server ends the stream in time. */
  async function assertStreamStops(tail: Tail, stop: () => Promise<void>): Promise<void> {
    try {
      await stop();
      const stoppedAt = Date.now();
      const written = await append('after-the-revocation');
      const endedAt = await tail.ended(ENDS_WITHIN_MS + 3000);
      assert.ok(endedAt !== null, 'the server never ended the stream');
      assert.ok(endedAt - stoppedAt <= ENDS_WITHIN_MS, `the stream outlived its token by ${endedAt - stoppedAt} ms`);
      assert.ok(!tail.delivered.includes(written), 'a record written after the revocation was delivered');
    } finally {
      tail.close();
    }
  }

  it('its access token revoked at /revoke (RFC 7009)', async () => {
    const { signedIn, tail } = await streaming('stream-revoked', 'platform_admin');
    await assertStreamStops(tail, async () => {
      const revoked = await platform.post(`${platform.issuer('system')}/revoke`, {
        token: signedIn.tokens.access_token,
        client_id: CONSOLE,
      });
      assert.equal(revoked.status, 200);
    });
  });

  it('its grant (refresh token family) revoked', async () => {
    const { signedIn, tail } = await streaming('stream-family', 'platform_admin');
    await assertStreamStops(tail, async () => {
      const revoked = await platform.post(`${platform.issuer('system')}/revoke`, {
        token: signedIn.tokens.refresh_token ?? '',
        token_type_hint: 'refresh_token',
        client_id: CONSOLE,
      });
      assert.equal(revoked.status, 200);
    });
  });

  it('the administrator signed out at end_session', async () => {
    const { signedIn, tail } = await streaming('stream-logout', 'platform_admin');
    await assertStreamStops(tail, () => platform.logout('system', signedIn));
  });

  it('the administrator disabled', async () => {
    const { tail } = await streaming('stream-disabled', `security_analyst:${TENANT}`);
    await assertStreamStops(tail, async () => {
      const user = await platform.services.users.get('system', 'stream-disabled');
      await platform.services.users.update('system', user, { status: 'disabled' }, 'test');
    });
  });

  it('the administrator no longer holds a role that reads the tenant', async () => {
    const { tail } = await streaming('stream-demoted', `security_analyst:${TENANT}`);
    await assertStreamStops(tail, async () => {
      await platform.infrastructure.database.dataSource.query(
        `UPDATE users SET roles = '{}' WHERE username = 'stream-demoted' AND tenant_id = (SELECT id FROM tenants WHERE slug = 'system')`,
      );
    });
  });

  it('an untouched administrator keeps the stream and its records', async () => {
    const { tail } = await streaming('stream-kept', `security_analyst:${TENANT}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, ENDS_WITHIN_MS));
      await tail.delivers(await append('still-streaming'));
      assert.equal(tail.endedAt, null);
    } finally {
      tail.close();
    }
  });
});
