import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { createAdminServices, type AdminServices } from '../../apps/admin/src/index.js';
import { createAuthorizationApp } from '../../apps/authorization/src/index.js';
import { testConfig } from './environments.js';
import { freePort } from './free-port.js';

export interface RunningAuthorizationServer {
  readonly origin: string;
  readonly config: GatehouseConfig;
  readonly infrastructure: Infrastructure;
  /** The admin services, to declare tenants, users, clients and APIs as a fixture. */
  readonly admin: AdminServices;
  issuer(tenant: string): string;
  close(): Promise<void>;
}

/**
 * The authorization app over real HTTP on the run's database, with PUBLIC_URL equal to where it listens.
 * `host: 'localhost'` names the same listener by a domain: WebAuthn refuses an IP address as RP ID.
 */
export async function startAuthorizationServer(
  overrides: Record<string, string> = {},
  options: { readonly host?: 'localhost' } = {},
): Promise<RunningAuthorizationServer> {
  const port = await freePort();
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const config = testConfig({ PUBLIC_URL: origin, ...overrides });
  const infrastructure = await openInfrastructure(config);
  let app: NestFastifyApplication | undefined;
  try {
    app = await createAuthorizationApp(
      config,
      infrastructure,
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
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
    admin: createAdminServices(config, infrastructure.persistence, infrastructure.redis),
    issuer: (tenant) => `${origin}/t/${tenant}`,
    close: async () => {
      await running.close();
      await infrastructure.close();
    },
  };
}
