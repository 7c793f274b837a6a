import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import type { Client, Tenant } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp } from '../../apps/admin/src/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../support/index.js';

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** The authorization app and the admin API on one database, the platform bootstrapped (items 2 and 11 of issue 10). */
export interface RegistrationSecurityFixture {
  readonly server: RunningAuthorizationServer;
  /** JSON over HTTP with an optional bearer token. */
  send(method: string, url: string, token: string | null, body?: unknown): Promise<Reply>;
  /** The admin API at /admin/v1 with a platform admin's token. */
  admin(method: string, path: string, body?: unknown): Promise<Reply>;
  tenant(slug: string): Promise<Tenant>;
  clients(slug: string): Promise<Client[]>;
  close(): Promise<void>;
}

export async function startRegistrationSecurityFixture(): Promise<RegistrationSecurityFixture> {
  const server = await startAuthorizationServer();
  let adminApp: NestFastifyApplication | undefined;
  try {
    const services = server.admin;
    // Other suites own the console's redirect URIs on this shared database: leave them.
    await bootstrapPlatform(server.config, server.infrastructure.persistence, services.tenants, services.users, {
      updateConsoleRedirects: false,
    });
    adminApp = await createAdminApp(
      server.config,
      server.infrastructure,
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
    );
  } catch (error) {
    await server.close();
    throw error;
  }
  const adminBase = `${await listen(adminApp, '127.0.0.1', 0)}/admin/v1`;
  const platformToken = (await server.admin.adminTokens.mint({})).accessToken;
  const repositories = server.infrastructure.persistence.repositories;

  const send = async (method: string, url: string, token: string | null, body?: unknown): Promise<Reply> => {
    const response = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, body: parseBody(text), headers: response.headers };
  };
  const tenant = async (slug: string): Promise<Tenant> => {
    const row = await repositories.tenants.findBySlug(slug);
    if (!row) throw new Error(`no tenant ${slug}`);
    return row;
  };
  return {
    server,
    send,
    admin: (method, path, body) => send(method, `${adminBase}${path}`, platformToken, body),
    tenant,
    clients: async (slug) => repositories.clients.listByTenant((await tenant(slug)).id),
    close: async () => {
      await adminApp?.close();
      await server.close();
    },
  };
}

/** JSON bodies as objects; anything else (an HTML page) as `{ text }`. */
function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}
