import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { CONFIG_CHANGE_CHANNEL, publishConfigChange, subscribeConfigChanges, type ConfigChange } from './config-change-channel.js';

/** A Redis whose PUBLISH fails `failures` times (as the shared client does while it reconnects), then succeeds. */
function flakyRedis(failures: number): { redis: Redis; attempts: string[][] } {
  const attempts: string[][] = [];
  const redis = {
    publish: (channel: string, message: string) => {
      attempts.push([channel, message]);
      return attempts.length <= failures ? Promise.reject(new Error("Stream isn't writeable")) : Promise.resolve(1);
    },
  } as unknown as Redis;
  return { redis, attempts };
}

const change: ConfigChange = { kind: 'client', tenantId: 't-1', clientId: 'c-1' };

describe('publishConfigChange', () => {
  it('retries a publish that fails while the connection comes back, and sends it once it can', async () => {
    const { redis, attempts } = flakyRedis(2);
    await publishConfigChange(redis, change, [1, 1]);
    assert.equal(attempts.length, 3);
    assert.deepEqual(attempts[2], [CONFIG_CHANGE_CHANNEL, JSON.stringify(change)]);
  });

  it('gives up after the retries without throwing (the change has committed), and this process still hears it', async () => {
    const { redis, attempts } = flakyRedis(10);
    const heard: ConfigChange[] = [];
    const stop = await subscribeConfigChanges(undefined, (received) => heard.push(received));
    try {
      await publishConfigChange(redis, change, [1, 1]);
    } finally {
      await stop();
    }
    assert.equal(attempts.length, 3);
    assert.deepEqual(heard, [change]);
  });
});
