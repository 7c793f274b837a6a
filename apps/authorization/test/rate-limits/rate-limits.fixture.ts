import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, openRedis, type RedisConnection } from '@gatehouse/persistence';
import { createAdminServices } from '../../../admin/src/index.js';
import { createAuthorizationApp } from '../../src/index.js';
import { freePort, testConfig, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

/** An authorization server whose rate-limit counter has a Redis connection of its own, which a test can cut. */
export interface CuttableServer extends RunningAuthorizationServer {
  /** Closes the connection the rate limits count on: Redis is unreachable for them from now on. */
  cutRedis(): void;
}

export async function startCuttableServer(overrides: Record<string, string> = {}): Promise<CuttableServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = testConfig({ PUBLIC_URL: origin, ...overrides });
  if (!config.redisUrl) throw new Error('needs REDIS_URL');
  const infrastructure = await openInfrastructure(config);
  const own: RedisConnection = await openRedis(config.redisUrl);
  let app: NestFastifyApplication | undefined;
  try {
    app = await createAuthorizationApp(
      config,
      { ...infrastructure, redis: own },
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
    );
    await listen(app, '127.0.0.1', port);
  } catch (error) {
    await app?.close();
    await own.close();
    await infrastructure.close();
    throw error;
  }
  const running = app;
  return {
    origin,
    config,
    infrastructure,
    admin: createAdminServices(config, infrastructure.persistence, infrastructure.redis),
    issuer: (tenant) => `${origin}/t/${tenant}`,
    cutRedis: () => own.client.disconnect(),
    close: async () => {
      await running.close();
      await own.close().catch(() => undefined);
      await infrastructure.close();
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
