import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatehouseLogger } from '@gatehouse/observability';
import type { Tenant } from '@gatehouse/persistence';
import { InProcessFixedWindowCounter, type FixedWindowCounter } from './fixed-window-counter.js';
import { TokenRateLimit } from './token-rate-limit.js';

const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
const tenant = (limit: number, id = 't-1') => ({ id, rateLimitPolicy: { tokenRequestsPerClientPerMinute: limit } }) as unknown as Tenant;

describe('TokenRateLimit', () => {
  it("allows the tenant's limit per client per minute, then refuses with the seconds left in the window", async () => {
    let ms = Date.UTC(2030, 0, 1, 12, 0, 15);
    const now = () => new Date(ms);
    const limit = new TokenRateLimit(new InProcessFixedWindowCounter(now), silent, now);
    for (let i = 0; i < 3; i++) assert.deepEqual(await limit.request(tenant(3), 'a'), { allowed: true });
    assert.deepEqual(await limit.request(tenant(3), 'a'), { allowed: false, retryAfterSeconds: 45 });
    assert.deepEqual(await limit.request(tenant(3), 'b'), { allowed: true }, 'another client has its own budget');
    assert.deepEqual(await limit.request(tenant(3, 't-2'), 'a'), { allowed: true }, 'the same client id in another tenant too');
    ms += 45_000;
    assert.deepEqual(await limit.request(tenant(3), 'a'), { allowed: true }, 'the next window starts again');
  });

  it('lets the request through when the counter store fails', async () => {
    const broken: FixedWindowCounter = { hit: () => Promise.reject(new Error('redis down')) };
    const limit = new TokenRateLimit(broken, silent, () => new Date());
    assert.deepEqual(await limit.request(tenant(1), 'a'), { allowed: true });
  });
});
