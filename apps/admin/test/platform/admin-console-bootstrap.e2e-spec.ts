import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openInfrastructure, type Client, type Infrastructure } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminServices } from '../../src/index.js';
import { createScratchPostgres, testConfig } from '../../../../test/support/index.js';

const CONSOLE = 'admin-console';

/**
 * The bootstrap runs on every start of every instance. On its own empty database
 * (the shared one is bootstrapped by other suites with other PUBLIC_URLs), two
 * instances start at once, start again, and later start with a new PUBLIC_URL.
 */
describe('bootstrap: the admin-console client', { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL' }, () => {
  let scratch: { url: string; drop(): Promise<void> };
  const opened: Infrastructure[] = [];

  async function instance(publicUrl: string) {
    const config = testConfig({ PUBLIC_URL: publicUrl, DATABASE_URL: scratch.url });
    const infrastructure = await openInfrastructure(config);
    opened.push(infrastructure);
    const services = await createAdminServices(config, infrastructure.persistence);
    return {
      infrastructure,
      bootstrap: () => bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users),
    };
  }

  async function consoleClients(infrastructure: Infrastructure): Promise<Client[]> {
    const system = await infrastructure.persistence.repositories.tenants.findBySlug('system');
    assert.ok(system);
    const all = await infrastructure.persistence.repositories.clients.listByTenant(system.id);
    return all.filter((client) => client.clientId === CONSOLE);
  }

  before(async () => {
    scratch = await createScratchPostgres();
  });
  after(async () => {
    for (const infrastructure of opened) await infrastructure.close();
    await scratch?.drop();
  });

  it('two instances bootstrapping an empty database at once leave exactly one admin-console client', async () => {
    const first = await instance('https://id.example.test');
    const second = await instance('https://id.example.test');
    const results = await Promise.all([first.bootstrap(), second.bootstrap()]);
    assert.deepEqual(results.map((result) => result.consoleClient).sort(), ['created', 'unchanged']);
    assert.equal(results.filter((result) => result.createdAdmin).length, 1, 'one platform admin too');

    const clients = await consoleClients(first.infrastructure);
    assert.equal(clients.length, 1);
    assert.deepEqual(clients[0]?.redirectUris, ['https://id.example.test/console/callback']);
    assert.deepEqual(clients[0]?.postLogoutRedirectUris, ['https://id.example.test/console/']);
    assert.equal(clients[0]?.tokenEndpointAuthMethod, 'none');
    assert.equal(clients[0]?.firstParty, true);
  });

  it('bootstrapping again changes nothing', async () => {
    const again = await instance('https://id.example.test');
    const before = await consoleClients(again.infrastructure);
    assert.equal((await again.bootstrap()).consoleClient, 'unchanged');
    assert.equal((await again.bootstrap()).consoleClient, 'unchanged');
    assert.deepEqual(await consoleClients(again.infrastructure), before);
  });

  it('a new PUBLIC_URL moves the redirect URIs on the next start and keeps the rest', async () => {
    const moved = await instance('https://login.example.test/gatehouse');
    const [old] = await consoleClients(moved.infrastructure);
    assert.equal((await moved.bootstrap()).consoleClient, 'redirects_updated');
    const clients = await consoleClients(moved.infrastructure);
    assert.equal(clients.length, 1);
    const [client] = clients;
    assert.deepEqual(client?.redirectUris, ['https://login.example.test/gatehouse/console/callback']);
    assert.deepEqual(client?.postLogoutRedirectUris, ['https://login.example.test/gatehouse/console/']);
    assert.equal(client?.id, old?.id, 'the same row, updated');
    assert.deepEqual(client?.scopes, old?.scopes);
    assert.deepEqual(client?.grantTypes, old?.grantTypes);
    assert.equal((await moved.bootstrap()).consoleClient, 'unchanged');
  });
});
