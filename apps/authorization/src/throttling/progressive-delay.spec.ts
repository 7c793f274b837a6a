import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { InProcessLockNoticeStore, type LockNoticeStore } from './lock-notice-store.js';
import { delayKeyOf, ProgressiveDelay, progressiveDelayMs } from './progressive-delay.js';

const logger = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
const tenant = { id: 't-1', rateLimitPolicy: { lockoutThreshold: 10, lockoutSeconds: 600 } } as unknown as Tenant;

describe('progressive delay', () => {
  it('waits 1 s after the 3rd failure, doubling, at most 30 s; none before', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map(progressiveDelayMs),
      [0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
    );
  });

  it('counts the seconds left since the last failure of this username, whatever its case', async () => {
    let now = 0;
    const store = new InProcessLockNoticeStore();
    const delay = new ProgressiveDelay(store, logger, () => new Date(now));
    // Four refused logins, counted under the key AccountLockNotice uses.
    for (const at of [0, 100, 200, 300]) await store.fail(delayKeyOf(tenant, 'Robin'), at, 10, 600_000);
    now = 301;
    assert.equal(await delay.retryAfterSeconds(tenant, 'robin'), 2, '4 failures: 2 s from the last, rounded up');
    now = 2_300;
    assert.equal(await delay.retryAfterSeconds(tenant, 'ROBIN'), 0);
    assert.equal(await delay.retryAfterSeconds(tenant, 'someone-else'), 0);
  });

  it('fails open when the store is unreachable: the database lockout still holds', async () => {
    const broken: LockNoticeStore = {
      fail: () => Promise.reject(new Error('down')),
      failures: () => Promise.reject(new Error('down')),
    };
    assert.equal(await new ProgressiveDelay(broken, logger, () => new Date()).retryAfterSeconds(tenant, 'robin'), 0);
  });
});
