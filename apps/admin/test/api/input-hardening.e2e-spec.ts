import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp, createAdminServices } from '../../src/index.js';
import { testConfig, uniqueSlug } from '../../../../test/support/index.js';

/** PostgreSQL cannot store U+0000: every surface refuses it with a 400 naming the field, never a 500. */
describe('admin API: NUL characters in input', () => {
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;
  const tenant = uniqueSlug('nul');

  before(async () => {
    const config = testConfig();
    infrastructure = await openInfrastructure(config);
    const services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    await services.tenants.create(tenant);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1/tenants/${tenant}`;
    token = (await services.adminTokens.mint({})).accessToken;
  });
  after(async () => {
    await app?.close();
    await infrastructure?.close();
  });

  async function send(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const cases: [string, string, string, unknown, string][] = [
    ['a query filter', 'GET', '/audit-records?username=a%00b', undefined, 'username'],
    ['a body field', 'POST', '/users', { username: 'a\u0000b' }, 'username'],
    [
      'a nested body field',
      'POST',
      '/siem-sinks',
      { type: 'webhook', url: 'https://siem.example/hook', secret: 'x'.repeat(32), name: 'n\u0000' },
      'name',
    ],
    ['a path parameter', 'GET', '/clients/abc%00def', undefined, 'clientId'],
    // Issue 18: a misspelt field is refused by name, not dropped (a user without the password meant for it).
    ['a misspelt body field', 'POST', '/users', { username: 'typo', pasword: 'correct horse battery staple' }, 'pasword'],
    ['an unknown API field', 'POST', '/apis', { identifier: 'https://api.example.test', scope: 'read', scopes: 'write' }, 'scopes'],
    [
      'a misspelt client field',
      'POST',
      '/clients',
      { client_name: 'Typo', redirect_uri: ['https://shop.example.test/cb'], grant_types: ['authorization_code'] },
      'redirect_uri',
    ],
    ['a misspelt tenant setting', 'PATCH', '', { acess_token_alg: 'ES256' }, 'acess_token_alg'],
    ['a misspelt registration-token field', 'POST', '/registration-tokens', { expires: 3600 }, 'expires'],
  ];
  for (const [what, method, path, body, field] of cases) {
    it(`${what}: 400 validation_failed naming ${field}`, async () => {
      const response = await send(method, path, body);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body['code'], 'validation_failed');
      assert.equal((response.body['errors'] as { field: string }[])[0]?.field, field);
    });
  }

  it('names the field a typo was probably meant to be', async () => {
    const response = await send('POST', '/users', { username: 'typo', pasword: 'correct horse battery staple' });
    assert.match(JSON.stringify(response.body), /pasword is not a field of this request; did you mean password\?/);
  });

  it('the client and tenant typos are named with what was meant', async () => {
    const client = await send('POST', '/clients', { client_name: 'Typo', redirect_uri: ['https://shop.example.test/cb'] });
    assert.match(JSON.stringify(client.body), /redirect_uri is not a field of this request; did you mean redirect_uris\?/);
    const tenantTypo = await send('PATCH', '', { acess_token_alg: 'ES256' });
    assert.match(JSON.stringify(tenantTypo.body), /acess_token_alg is not a field of this request; did you mean access_token_alg\?/);
  });

  it('nothing was created by the refused writes', async () => {
    const users = await send('GET', '/users');
    assert.deepEqual(users.body['items'], []);
    assert.deepEqual((await send('GET', '/clients')).body['items'], []);
  });

  it('a SIEM sink aimed at the internal network is refused by default (SSRF), and nothing is stored', async () => {
    for (const [type, url] of [
      ['webhook', 'https://169.254.169.254/latest/meta-data'],
      ['webhook', 'http://127.0.0.1:3001/admin/v1/tenants'],
      ['syslog', 'tcp://10.0.0.5:514'],
    ]) {
      const refused = await send('POST', '/siem-sinks', { type, url, ...(type === 'webhook' ? { secret: 'x'.repeat(32) } : {}) });
      assert.equal(refused.status, 400, url);
      assert.equal((refused.body['errors'] as { field: string }[])[0]?.field, 'url');
      assert.match(String(refused.body['detail']), /SIEM_ALLOW_PRIVATE_TARGETS/);
    }
    assert.deepEqual((await send('GET', '/siem-sinks')).body['items'], []);
  });
});
