import { setTimeout as sleep } from 'node:timers/promises';
import { openRedis, type RedisConnection } from '@gatehouse/persistence';
import { startAuthorizationServer, testConfig, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

/** An authorization server whose rate-limit counter has a Redis connection of its own, which a test can cut. */
export interface CuttableServer extends RunningAuthorizationServer {
  /** Closes the connection the rate limits count on: Redis is unreachable for them from now on. */
  cutRedis(): void;
}

export async function startCuttableServer(overrides: Record<string, string> = {}): Promise<CuttableServer> {
  const { redisUrl } = testConfig(overrides);
  if (!redisUrl) throw new Error('needs REDIS_URL');
  const own: RedisConnection = await openRedis(redisUrl);
  const server = await startAuthorizationServer(overrides, { redis: own }).catch(async (error: unknown) => {
    await own.close();
    throw error;
  });
  return {
    ...server,
    cutRedis: () => own.client.disconnect(),
    close: async () => {
      await server.close();
      await own.close().catch(() => undefined);
    },
  };
}

/** A tenant with these rate-limit overrides and a confidential client_credentials client. */
export async function limitedTenant(
  server: RunningAuthorizationServer,
  policy: Record<string, number>,
): Promise<{ slug: string; issuer: string; clientId: string; secret: string }> {
  const slug = uniqueSlug('rl');
  await server.admin.tenants.create(slug, 'Rate Limits');
  await server.admin.tenants.update(slug, await server.admin.tenants.get(slug), { rateLimitPolicy: policy });
  const { client, clientSecret } = await server.admin.clients.create({ tenant: slug, name: 'Job', grantTypes: ['client_credentials'] });
  return { slug, issuer: server.issuer(slug), clientId: client.clientId, secret: clientSecret ?? '' };
}

/** Per-minute windows: start a test well inside one, so it never straddles two. */
export async function startOfAMinute(budgetSeconds: number): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > (60 - budgetSeconds) * 1000) await sleep(60_000 - intoMinute + 100);
}
