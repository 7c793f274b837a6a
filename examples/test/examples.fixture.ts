import 'reflect-metadata';
import type { Server } from 'node:http';
import { freePort, startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../test/support/index.js';
import { createOrdersApi } from '../protected-api/src/orders-api.js';
import { createWebClient } from '../web-client/src/web-client.js';

export const PASSWORD = 'correct horse battery staple';
export const API_IDENTIFIER = 'https://orders.example.test';

export interface RunningExamples {
  readonly gatehouse: RunningAuthorizationServer;
  readonly slug: string;
  readonly apiUrl: string;
  readonly webOrigin: string;
  /** A client_credentials client holding only orders:write. */
  readonly machine: { readonly clientId: string; readonly secret: string };
  close(): Promise<void>;
}

/** Gatehouse with a tenant set up as examples/README.md says, the orders API and the web client, all on loopback. */
export async function startExamples(): Promise<RunningExamples> {
  const gatehouse = await startAuthorizationServer();
  const { admin } = gatehouse;
  const slug = uniqueSlug('examples');
  await admin.tenants.create(slug, 'Example shop');
  await admin.apis.create({ tenant: slug, identifier: API_IDENTIFIER, scope: 'orders:read orders:write', name: 'Orders' });
  await admin.users.create({ tenant: slug, username: 'alice', email: 'alice@example.com', password: PASSWORD });

  const api = await createOrdersApi({ issuer: gatehouse.issuer(slug), audience: API_IDENTIFIER });
  await api.listen(0, '127.0.0.1');
  const apiUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');

  const port = await freePort();
  const webOrigin = `http://127.0.0.1:${port}`;
  const registered = await admin.clients.create({
    tenant: slug,
    name: 'Web example',
    redirectUris: [`${webOrigin}/callback`],
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: 'openid profile orders:read',
  });
  const web: Server = createWebClient({
    issuer: gatehouse.issuer(slug),
    clientId: registered.client.clientId,
    clientSecret: registered.clientSecret ?? '',
    origin: webOrigin,
    apiUrl,
    apiIdentifier: API_IDENTIFIER,
  });
  await new Promise<void>((resolve) => web.listen(port, '127.0.0.1', resolve));
  const service = await admin.clients.create({ tenant: slug, name: 'Writer', grantTypes: ['client_credentials'], scope: 'orders:write' });
  return {
    gatehouse,
    slug,
    apiUrl,
    webOrigin,
    machine: { clientId: service.client.clientId, secret: service.clientSecret ?? '' },
    async close() {
      web.close();
      await api.close();
      await gatehouse.close();
    },
  };
}
