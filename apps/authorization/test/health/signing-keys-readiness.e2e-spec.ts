import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { assertHealthShape, checkNamed, createScratchPostgres, testConfig, uniqueSlug } from '../../../../test/support/index.js';
import { createAuthorizationApp } from '../../src/authorization.app.js';

const DAY_MS = 86_400_000;
const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });

describe(
  'authorization readiness: signing keys (HEALTH_KEY_EXPIRY_WARN_DAYS=14), no Redis, then no database',
  { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)' },
  () => {
    let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
    let infrastructure: Infrastructure;
    let app: NestFastifyApplication;
    let baseUrl: string;
    // The check caches its query for 10 s: each step moves the app's clock past that.
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);

    const addTenant = async (keyExpiresInDays: number | null | 'no key'): Promise<string> => {
      const slug = uniqueSlug('health');
      const tenant = await infrastructure.persistence.repositories.tenants.insert({ slug, name: 'Health' });
      assert.ok(tenant);
      if (keyExpiresInDays === 'no key') return slug;
      const expiresAt = keyExpiresInDays === null ? null : new Date(Date.now() + keyExpiresInDays * DAY_MS);
      // The check reads dates only: the key material does not matter here.
      await infrastructure.database.dataSource.query(
        `INSERT INTO signing_keys (tenant_id, kid, alg, public_jwk, private_key_ciphertext, activates_at, deactivates_at, expires_at)
         VALUES ($1, $2, 'ES256', '{}', 'unused', $3, $4, $4)`,
        [tenant.id, randomUUID(), new Date(Date.now() - DAY_MS), expiresAt],
      );
      return slug;
    };
    const ready = async () => {
      offsetMs += 11_000;
      const response = await fetch(`${baseUrl}/health/ready`);
      const body: unknown = await response.json();
      assertHealthShape(body);
      return { status: response.status, body, keys: checkNamed(body, 'signing-keys') };
    };

    before(async () => {
      scratch = await createScratchPostgres();
      const config = testConfig({ DATABASE_URL: scratch.url, REDIS_URL: undefined });
      infrastructure = await openInfrastructure(config);
      app = await createAuthorizationApp(config, infrastructure, silent, now);
      baseUrl = await listen(app, '127.0.0.1', 0);
    });
    after(async () => {
      await app?.close();
      await infrastructure?.close();
      await scratch?.drop();
    });

    it('healthy when every active tenant has a key that keeps signing; without Redis there is no redis check', async () => {
      await addTenant(null);
      await addTenant(30);
      const { status, body } = await ready();
      assert.equal(status, 200);
      assert.equal(body.status, 'healthy', JSON.stringify(body));
      assert.deepEqual(
        body.checks.map((check) => check.name),
        ['database', 'signing-keys'],
      );
      assert.deepEqual(checkNamed(body, 'signing-keys'), { name: 'signing-keys', status: 'healthy', error: null });
    });

    it('degraded (200) when a tenant key stops signing within 14 days with no successor', async () => {
      const slug = await addTenant(3);
      const { status, body, keys } = await ready();
      assert.equal(status, 200);
      assert.equal(body.status, 'degraded');
      assert.equal(keys?.status, 'degraded');
      assert.match(keys?.error ?? '', new RegExp(`tenant ${slug}: signing keys stop signing at \\d{4}-`));
      assert.deepEqual(keys?.details?.['without_active_key'], []);
    });

    it('degraded (200), not unhealthy, when an active tenant has no signing key; a disabled tenant is not counted', async () => {
      const slug = await addTenant('no key');
      const { status, keys } = await ready();
      assert.equal(status, 200);
      assert.equal(keys?.status, 'degraded');
      assert.match(keys?.error ?? '', new RegExp(`tenant ${slug} has no active signing key`));
      assert.deepEqual(keys?.details?.['without_active_key'], [slug]);

      await infrastructure.database.dataSource.query(`UPDATE tenants SET status = 'disabled' WHERE slug = $1`, [slug]);
      const later = await ready();
      assert.doesNotMatch(later.keys?.error ?? '', new RegExp(slug));
    });

    it('503 unhealthy once its database is gone (dropped, connections killed); liveness stays 200', async () => {
      await scratch.drop();
      offsetMs += 11_000;
      const response = await fetch(`${baseUrl}/health/ready`);
      assert.equal(response.status, 503);
      const body: unknown = await response.json();
      assertHealthShape(body);
      assert.equal(body.status, 'unhealthy');
      assert.equal(checkNamed(body, 'database')?.status, 'unhealthy');
      assert.equal(checkNamed(body, 'signing-keys')?.status, 'unhealthy');
      assert.equal((await fetch(`${baseUrl}/health/live`)).status, 200);
    });
  },
);
