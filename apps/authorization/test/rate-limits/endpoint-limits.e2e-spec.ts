import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import {
  auditEvents,
  basic,
  oauthError,
  postForm,
  startAdminApi,
  type AdminApi,
} from '../../../../test/security/items-4-7-8-9-14.fixture.js';
import { authorizeUrl, createCodeFlowFixture, type CodeFlowFixture } from '../flow/code-flow.fixture.js';
import { limitedTenant, startCuttableServer, startOfAMinute, type CuttableServer } from './rate-limits.fixture.js';

/** Issue 13: /authorize (HTML 429), introspection and revocation (JSON 429), per-client overrides, Redis down. */
describe('endpoint rate limits', { skip: process.env['REDIS_URL'] ? undefined : 'needs REDIS_URL' }, () => {
  let server: RunningAuthorizationServer;
  let adminApi: AdminApi;

  before(async () => {
    server = await startAuthorizationServer();
    adminApi = await startAdminApi(server);
  });
  after(async () => {
    await adminApi?.close();
    await server?.close();
  });

  it('/authorize past its limit answers the HTML error page with 429 and Retry-After', async () => {
    const fixture: CodeFlowFixture = await createCodeFlowFixture(server);
    await server.admin.tenants.update(fixture.tenant, await server.admin.tenants.get(fixture.tenant), {
      rateLimitPolicy: { authorizeRequestsPerClientIpPerHour: 2 },
    });
    const url = authorizeUrl(fixture, { clientId: fixture.spa.client.client_id, state: 's', codeChallenge: 'x'.repeat(43) });
    const get = () => fetch(url, { redirect: 'manual', headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' } });
    for (let i = 0; i < 2; i++) assert.ok([200, 303].includes((await get()).status));
    const limited = await get();
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('content-type') ?? '', /text\/html/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After: ${limited.headers.get('retry-after')}`);
    assert.match(limited.headers.get('content-security-policy') ?? '', /default-src/);
    const exceeded = await auditEvents(server, fixture.tenant, 'rate_limit.exceeded');
    assert.equal(exceeded[0]?.details?.['limit'], 'authorize_requests_per_client_ip_per_hour');
  });

  it('introspection and revocation answer 429 OAuth JSON past their per-client limits', async () => {
    const tenant = await limitedTenant(server, { introspectionRequestsPerClientPerMinute: 1, revocationRequestsPerClientPerMinute: 1 });
    await startOfAMinute(10);
    const authorization = basic(tenant.clientId, tenant.secret);
    for (const endpoint of ['introspect', 'revoke']) {
      const call = () => postForm(`${tenant.issuer}/${endpoint}`, { token: 'anything' }, { authorization });
      assert.equal((await call()).status, 200, endpoint);
      const limited = await call();
      assert.ok(Number(limited.headers.get('retry-after')) >= 1, endpoint);
      assert.equal(await oauthError(limited, 429), 'temporarily_unavailable', endpoint);
    }
  });

  it("a client's override set through the admin API takes effect, and only endpoint limits may be overridden", async () => {
    const tenant = await limitedTenant(server, {});
    const path = `/tenants/${tenant.slug}/clients/${tenant.clientId}`;
    const read = await adminApi.send('GET', path);
    assert.deepEqual(read.body['rate_limit_policy'], {});
    const refused = await adminApi.send('PATCH', path, { rate_limit_policy: { lockout_threshold: 1 } }, { 'if-match': read.etag ?? '' });
    assert.equal(refused.status, 400);
    const patched = await adminApi.send(
      'PATCH',
      path,
      { rate_limit_policy: { token_requests_per_client_per_minute: 1 } },
      { 'if-match': read.etag ?? '' },
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body['rate_limit_policy'], { token_requests_per_client_per_minute: 1 });
    const tenantView = await adminApi.send('GET', `/tenants/${tenant.slug}`);
    assert.equal((tenantView.body['rate_limit_policy'] as Record<string, number>)['code_exchanges_per_client_ip_per_minute'], 10);

    await startOfAMinute(10);
    const token = () =>
      postForm(`${tenant.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(tenant.clientId, tenant.secret) });
    let statuses: number[] = [];
    // The admin change reaches the authorization app's client cache through its announcement.
    for (let attempt = 0; attempt < 20 && !statuses.includes(429); attempt++) {
      statuses = [(await token()).status, (await token()).status];
      if (!statuses.includes(429)) await sleep(100);
    }
    assert.ok(statuses.includes(429), `never limited: ${statuses.join(', ')}`);
  });

  describe('Redis unreachable', () => {
    let open: CuttableServer;
    let closed: CuttableServer;
    before(async () => {
      open = await startCuttableServer();
      closed = await startCuttableServer({ RATE_LIMIT_FAIL_CLOSED: 'true' });
    });
    after(async () => {
      await Promise.all([open?.close(), closed?.close()]);
    });

    async function cutAndCall(target: CuttableServer): Promise<Response[]> {
      const tenant = await limitedTenant(target, { tokenRequestsPerClientPerMinute: 1 });
      const token = () =>
        postForm(`${tenant.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(tenant.clientId, tenant.secret) });
      await token(); // tenant, client and keys cached while Redis is there
      target.cutRedis();
      return [await token(), await token(), await token()];
    }

    it('fails open by default: requests go through past the limit', async () => {
      for (const response of await cutAndCall(open)) assert.equal(response.status, 200, await response.text());
    });

    it('fails closed with RATE_LIMIT_FAIL_CLOSED=true: 503 temporarily_unavailable', async () => {
      for (const response of await cutAndCall(closed)) assert.equal(await oauthError(response, 503), 'temporarily_unavailable');
    });
  });
});
