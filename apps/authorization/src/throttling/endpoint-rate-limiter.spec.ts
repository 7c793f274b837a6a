import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent, AuditOutbox } from '@gatehouse/audit';
import { GatehouseLogger } from '@gatehouse/observability';
import type { Client, Tenant } from '@gatehouse/persistence';
import { RateLimited, TemporarilyUnavailable } from '@gatehouse/protocol';
import { CounterThrottlerStorage } from './counter-throttler-storage.js';
import { EndpointRateLimiter, type RateLimitOptions } from './endpoint-rate-limiter.js';
import { InProcessFixedWindowCounter, type FixedWindowCounter } from './fixed-window-counter.js';

const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
const tenant = { id: 't-1', rateLimitPolicy: { codeExchangesPerClientIpPerMinute: 3 } } as unknown as Tenant;
const client = (rateLimitPolicy: Record<string, number> = {}) => ({ clientId: 'c-1', rateLimitPolicy }) as unknown as Client;
const now = () => new Date(Date.UTC(2030, 0, 1, 12, 0, 20));

function limiter(options: Partial<RateLimitOptions> = {}, counter: FixedWindowCounter = new InProcessFixedWindowCounter(now)) {
  const events: AuditEvent[] = [];
  const audit: AuditOutbox = { append: (_tenant, appended) => Promise.resolve(void events.push(...appended)) };
  const storage = new CounterThrottlerStorage(counter, now);
  return { events, limits: new EndpointRateLimiter(storage, audit, silent, { enabled: true, failClosed: false, ...options }, now) };
}

const request = (overrides: Record<string, number> = {}, subject = '203.0.113.9') => ({
  tenant,
  client: client(overrides),
  limit: 'codeExchangesPerClientIpPerMinute' as const,
  subject,
  context: { ip: subject, userAgent: undefined },
});

describe('EndpointRateLimiter', () => {
  it("refuses past the tenant's limit with 429 temporarily_unavailable and the seconds left, audited once per window", async () => {
    const { limits, events } = limiter();
    for (let i = 0; i < 3; i++) await limits.enforce(request());
    for (let i = 0; i < 2; i++) {
      await assert.rejects(limits.enforce(request()), (error: unknown) => {
        assert.ok(error instanceof RateLimited);
        assert.deepEqual([error.status, error.error, error.retryAfterSeconds], [429, 'temporarily_unavailable', 40]);
        return true;
      });
    }
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'rate_limit.exceeded');
    assert.deepEqual(events[0]?.details, {
      limit: 'code_exchanges_per_client_ip_per_minute',
      key_kind: 'client_ip',
      max: 3,
      window_seconds: 60,
    });
    await limits.enforce(request({}, '198.51.100.1'));
  });

  it("a client's override wins over the tenant's", async () => {
    const { limits } = limiter();
    await limits.enforce(request({ codeExchangesPerClientIpPerMinute: 1 }));
    await assert.rejects(limits.enforce(request({ codeExchangesPerClientIpPerMinute: 1 })), RateLimited);
  });

  it('a refunded hit does not count', async () => {
    const { limits } = limiter();
    for (let i = 0; i < 5; i++) await limits.refund(await limits.enforce(request()));
    await limits.enforce(request());
  });

  it('fails open when the store throws, closed (503) when configured, and counts nothing when disabled', async () => {
    const broken: FixedWindowCounter = { hit: () => Promise.reject(new Error('redis down')), refund: () => Promise.resolve() };
    assert.equal(await limiter({}, broken).limits.enforce(request({ codeExchangesPerClientIpPerMinute: 1 })), null);
    await assert.rejects(limiter({ failClosed: true }, broken).limits.enforce(request()), TemporarilyUnavailable);
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'error', format: 'json', write: (line: string) => void lines.push(line) });
    const audit: AuditOutbox = { append: () => Promise.resolve() };
    const logged = new EndpointRateLimiter(
      new CounterThrottlerStorage(broken, now),
      audit,
      logger,
      { enabled: true, failClosed: false },
      now,
    );
    for (let i = 0; i < 3; i++) await logged.enforce(request());
    assert.equal(lines.length, 1, 'one error line per outage interval, not one per request');
    const { limits } = limiter({ enabled: false });
    for (let i = 0; i < 10; i++) assert.equal(await limits.enforce(request()), null);
  });
});
