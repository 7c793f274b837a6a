import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { asTenantId, Clock } from '@gatehouse/protocol';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { ownPostgresDatabase, testConfig, uniqueSlug } from '../../../../test/support/index.js';

/** Years away from the wall clock, so a service that read `new Date()` instead of its clock shows. */
const FIXED = new Date('2031-05-06T07:08:09.000Z');

describe('admin services: one clock', () => {
  // A database of its own: the system tenant's keys made at the clock's time are not yet valid for the other suites.
  const own = ownPostgresDatabase();
  let config: GatehouseConfig;
  let infrastructure: Infrastructure;
  let services: AdminServices;

  before(async () => {
    config = testConfig(own.overrides());
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence, undefined, new Clock(() => FIXED));
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
  });
  after(async () => {
    await infrastructure?.close();
    await own.drop();
  });

  it('a tenant and a user created through the services are audited at the clock’s time', async () => {
    const slug = uniqueSlug();
    await services.tenants.create(slug);
    await services.users.create({ tenant: slug, username: 'alice' });
    const tenant = await services.tenants.get(slug);
    const events = await infrastructure.persistence.repositories.auditOutbox.listByTenant(asTenantId(tenant.id));
    const changes = events.filter((event) => event.type === 'admin.change');
    // Both at one instant, so the outbox's order between them is its ids'.
    assert.deepEqual(changes.map((event) => (event.details as { action: string }).action).sort(), [
      'admin.tenant.created',
      'admin.user.created',
    ]);
    for (const event of changes) assert.equal(event.occurredAt.toISOString(), FIXED.toISOString());
  });

  it('an admin token minted for the CLI is issued at the clock’s time', async () => {
    const { accessToken } = await services.adminTokens.mint({});
    const claims = decodeJwt(accessToken);
    assert.equal(claims.iat, FIXED.getTime() / 1000);
  });

  it('the admin app judges a token’s expiry at its clock’s time', async () => {
    const { accessToken } = await services.adminTokens.mint({ lifetimeSeconds: 60 });
    const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
    // One app at a time, each closed before the next.
    const tenantsAt = async (clock: Clock) => {
      const app = await createAdminApp(config, infrastructure, silent, { clock });
      try {
        const response = await fetch(`${await listen(app, '127.0.0.1', 0)}/admin/v1/tenants`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        return `${response.status} ${response.headers.get('www-authenticate') ?? ''}`.trim();
      } finally {
        await app.close();
      }
    };
    assert.equal(await tenantsAt(new Clock(() => FIXED)), '200');
    // By the wall clock (years earlier) the token would still be valid: only the app's clock expires it.
    assert.match(await tenantsAt(new Clock(() => new Date(FIXED.getTime() + 120_000))), /^401 Bearer .*error="invalid_token"/);
  });

  it('a user’s lock is judged at the clock’s time', async () => {
    const slug = uniqueSlug();
    await services.tenants.create(slug);
    await services.users.create({ tenant: slug, username: 'bob' });
    const tenant = await services.tenants.get(slug);
    const user = await infrastructure.persistence.repositories.users.findByUsername(asTenantId(tenant.id), 'bob');
    assert.ok(user);
    // Locked until a minute after the clock's time: locked to the services, though long past by the wall clock.
    await infrastructure.database.dataSource.query(`UPDATE users SET locked_until = $1 WHERE id = $2`, [
      new Date(FIXED.getTime() + 60_000),
      user.id,
    ]);
    const locked = await services.users.listPage(slug, null, 10, { locked: true });
    assert.deepEqual(
      locked.map((candidate) => candidate.username),
      ['bob'],
    );
  });
});
