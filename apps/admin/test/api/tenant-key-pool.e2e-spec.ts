import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { bootstrapPlatform, createAdminApp } from '../../src/index.js';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

/**
 * Issue 12: the admin API creates tenants with RSA keys from its pool (SIGNING_KEY_POOL_SIZE).
 * Each tenant still gets keys of its own, sealed at rest, that sign what the tenant issues.
 */
describe('admin API: tenant creation with the signing key pool', () => {
  let server: RunningAuthorizationServer;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;
  const slugs = [uniqueSlug('pool-a'), uniqueSlug('pool-b'), uniqueSlug('pool-c'), uniqueSlug('pool-d')];

  before(async () => {
    server = await startAuthorizationServer({ SIGNING_KEY_POOL_SIZE: '2' });
    const { admin, config, infrastructure } = server;
    assert.equal(config.signingKeyPoolSize, 2);
    await bootstrapPlatform(config, infrastructure.persistence, admin.tenants, admin.users);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    token = (await admin.adminTokens.mint({})).accessToken;
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  it('four tenants (more than the pool holds) each get their own RS256 and ES256 keys, published and sealed', async () => {
    for (const slug of slugs) {
      const response = await fetch(`${base}/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug, name: slug }),
      });
      assert.equal(response.status, 201, await response.text());
    }
    const kids: string[] = [];
    for (const slug of slugs) {
      const jwks = (await (await fetch(`${server.issuer(slug)}/jwks`)).json()) as { keys: { kid: string; alg: string; d?: string }[] };
      assert.deepEqual(jwks.keys.map((key) => key.alg).sort(), ['ES256', 'RS256']);
      assert.ok(
        jwks.keys.every((key) => key.d === undefined),
        'no private part is published',
      );
      kids.push(...jwks.keys.map((key) => key.kid));
    }
    assert.equal(new Set(kids).size, kids.length, 'no key is shared between tenants');
    const rows = await server.infrastructure.database.dataSource.query<{ sealed: string }[]>(
      `SELECT k.private_key_ciphertext AS sealed FROM signing_keys k JOIN tenants t ON t.id = k.tenant_id WHERE t.slug = ANY($1)`,
      [slugs],
    );
    assert.equal(rows.length, 8);
    assert.ok(
      rows.every((row) => !String(row.sealed).includes('PRIVATE KEY')),
      'private keys are stored sealed',
    );
  });
});
