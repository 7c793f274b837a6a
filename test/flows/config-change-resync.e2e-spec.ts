import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const withServices = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

/**
 * Issue 12: with Redis, the authorization server keeps tenants, clients and APIs for minutes,
 * trusting the config-change channel. A change announced while the channel was away is lost;
 * so when the subscription reconnects, every cached entry is forgotten and read afresh.
 */
describe(
  'the config-change channel reconnecting forgets every cached entry',
  { skip: !withServices && 'needs DATABASE_URL and REDIS_URL' },
  () => {
    let server: RunningAuthorizationServer;
    let redis: Redis;
    const slug = uniqueSlug('resync');

    before(async () => {
      server = await startAuthorizationServer();
      redis = new Redis(process.env['REDIS_URL']!);
      await server.admin.tenants.create(slug);
    });
    after(async () => {
      redis?.disconnect();
      await server?.close();
    });

    const discovery = () => fetch(`${server.issuer(slug)}/.well-known/openid-configuration`);

    it('a tenant disabled while no announcement could arrive is refused once the channel reconnects', async () => {
      assert.equal((await discovery()).status, 200, 'the tenant is cached');
      // A change no instance hears of: the database changes, no announcement is made.
      await server.infrastructure.database.dataSource.query(`UPDATE tenants SET status = 'disabled' WHERE slug = $1`, [slug]);
      assert.equal((await discovery()).status, 200, 'the cached tenant is still served: nothing announced the change');

      // The channel drops (a Redis failover, a network blip) and comes back.
      await redis.client('KILL', 'TYPE', 'pubsub');
      let status = 200;
      for (let attempt = 0; attempt < 50 && status === 200; attempt++) {
        await sleep(100);
        status = (await discovery()).status;
      }
      assert.equal(status, 404, 'after the reconnect the tenant is read afresh, and it is disabled');
    });
  },
);
