import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure, type RedisConnection } from '@gatehouse/persistence';
import { Clock } from '@gatehouse/protocol';
import { createAdminServices, type AdminServices } from '../../apps/admin/src/index.js';
import { createAuthorizationApp } from '../../apps/authorization/src/index.js';
import { freePort } from './free-port.js';
import { testConfigOnSharedDatabase } from './shared-embedded-database.js';

export interface RunningAuthorizationServer {
  readonly origin: string;
  readonly config: GatehouseConfig;
  readonly infrastructure: Infrastructure;
  /** The admin services, to declare tenants, users, clients and APIs as a fixture. */
  readonly admin: AdminServices;
  issuer(tenant: string): string;
  /** The server's clock: the wall clock plus what the test moved it on (code, token and session expiry). */
  now(): Date;
  /** Moves the server's clock forward; Redis-held windows (rate limits, replay caches) keep real time. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

/**
 * The authorization app over real HTTP on the run's database (without DATABASE_URL, the test process's
 * shared embedded one), with PUBLIC_URL equal to where it listens.
 * `host: 'localhost'` names the same listener by a domain: WebAuthn refuses an IP address as RP ID.
 */
export async function startAuthorizationServer(
  overrides: Record<string, string> = {},
  options: {
    readonly host?: 'localhost';
    /** A Redis connection of the caller's for the app (a test that cuts it); the caller closes it. */
    readonly redis?: RedisConnection;
  } = {},
): Promise<RunningAuthorizationServer> {
  const port = await freePort();
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const config = await testConfigOnSharedDatabase({ PUBLIC_URL: origin, ...overrides });
  const infrastructure = await openInfrastructure(config);
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  let app: NestFastifyApplication | undefined;
  try {
    app = await createAuthorizationApp(
      config,
      options.redis ? { ...infrastructure, redis: options.redis } : infrastructure,
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
      now,
    );
    await listen(app, '127.0.0.1', port);
  } catch (error) {
    await app?.close();
    await infrastructure.close();
    throw error;
  }
  const running = app;
  return {
    origin,
    config,
    infrastructure,
    admin: await createAdminServices(config, infrastructure.persistence, infrastructure.redis, new Clock(now)),
    issuer: (tenant) => `${origin}/t/${tenant}`,
    now,
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
    close: async () => {
      await running.close();
      await infrastructure.close();
    },
  };
}
