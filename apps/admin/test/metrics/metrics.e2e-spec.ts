import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { metricsText, scrape, testConfig, valueOf } from '../../../../test/support/index.js';

const TOKEN = 'admin-metrics-token-0123456789';

describe('/metrics on the admin app', () => {
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let origin: string;
  let services: AdminServices;

  before(async () => {
    const config = testConfig({ METRICS_TOKEN: TOKEN });
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    origin = await listen(app, '127.0.0.1', 0);
  });
  after(async () => {
    await app?.close();
    await infrastructure?.close();
  });

  it('counts admin API token validations (valid and invalid) and durations by route, behind METRICS_TOKEN', async () => {
    const token = (await services.adminTokens.mint({})).accessToken;
    assert.equal((await fetch(`${origin}/admin/v1/tenants`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await fetch(`${origin}/admin/v1/tenants`, { headers: { authorization: 'Bearer not-a-jwt' } })).status, 401);

    assert.equal((await scrape(`${origin}/metrics`)).status, 401);
    assert.equal((await scrape(`${origin}/metrics`, 'wrong-token-0123456789')).status, 401);
    const text = await metricsText(`${origin}/metrics`, TOKEN);
    assert.ok(
      valueOf(text, 'oauth_token_validations_total', { tenant: 'system', validator: 'resource_server', result: 'valid' }) >= 1,
      text,
    );
    assert.ok(valueOf(text, 'oauth_token_validations_total', { tenant: 'system', validator: 'resource_server', result: 'invalid' }) >= 1);
    assert.ok(valueOf(text, 'oauth_request_duration_seconds_count', { endpoint: '/admin/v1/tenants' }) >= 2, text);
    assert.ok(!text.includes(token));
  });
});
