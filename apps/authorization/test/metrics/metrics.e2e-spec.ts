import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { serveMetricsPort } from '@gatehouse/observability';
import {
  ENTRY_POINTS,
  freePort,
  processEnv,
  startProcess,
  metricsText,
  scrape,
  startAuthorizationServer,
  valueOf,
  type RunningAuthorizationServer,
} from '../../../../test/support/index.js';
import { API } from '../flow/code-flow.fixture.js';
import { basic, createLifecycleFixture, post, tokensFor, type LifecycleFixture } from '../lifecycle/lifecycle.fixture.js';
import { startOfAMinute } from '../rate-limits/rate-limits.fixture.js';

const TOKEN = 'metrics-scrape-token-0123456789';

describe('/metrics on the authorization app', () => {
  let server: RunningAuthorizationServer;
  let fixture: LifecycleFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createLifecycleFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  const serviceToken = () =>
    post(
      `${fixture.issuer}/token`,
      { grant_type: 'client_credentials', scope: 'orders:read', resource: API },
      basic(fixture.service.clientId, fixture.service.secret),
    );

  it('counts a code flow, token exchanges, introspection and errors, labelled by tenant, grant type, result and endpoint', async () => {
    const url = `${server.origin}/metrics`;
    const before = await metricsText(url);
    const t = { tenant: fixture.tenant };

    const tokens = await tokensFor(server, fixture, { clientId: fixture.web.client.client_id, secret: fixture.web.secret });
    const service = await serviceToken();
    assert.equal(service.status, 200);
    const introspected = await post(
      `${fixture.issuer}/introspect`,
      { token: String(service.body['access_token']) },
      basic(fixture.introspector.clientId, fixture.introspector.secret),
    );
    assert.equal(introspected.body['active'], true);
    const refused = await post(
      `${fixture.issuer}/token`,
      { grant_type: 'authorization_code', code: 'nope', redirect_uri: 'https://x.test/', code_verifier: 'v'.repeat(43) },
      basic(fixture.web.client.client_id, fixture.web.secret),
    );
    assert.equal(refused.body['error'], 'invalid_grant');

    const text = await metricsText(url);
    const grew = (name: string, labels: Record<string, string>) =>
      assert.ok(valueOf(text, name, labels) > valueOf(before, name, labels), `${name} ${JSON.stringify(labels)} did not grow:\n${text}`);
    grew('oauth_authorization_requests_total', t);
    grew('oauth_token_exchanges_total', { ...t, grant_type: 'authorization_code' });
    grew('oauth_token_exchanges_total', { ...t, grant_type: 'client_credentials' });
    grew('oauth_token_validations_total', { ...t, validator: 'introspection', result: 'valid' });
    grew('oauth_errors_total', { ...t, endpoint: '/token', error: 'invalid_grant' });
    grew('oauth_request_duration_seconds_count', { ...t, endpoint: '/token' });
    grew('oauth_request_duration_seconds_count', { ...t, endpoint: '/authorize' });
    grew('gatehouse_login_outcomes_total', { ...t, outcome: 'success' });
    grew('gatehouse_login_risk_score_count', t);
    assert.match(text, /^# TYPE oauth_request_duration_seconds histogram$/m);
    assert.match(text, /^# TYPE gatehouse_login_risk_score histogram$/m);

    // Bounded labels: no client id, no user id, no raw path, no token.
    const sub = String(decodeJwt(String(tokens['access_token'])).sub);
    for (const secret of [
      fixture.web.client.client_id,
      fixture.service.clientId,
      fixture.introspector.clientId,
      sub,
      `/t/${fixture.tenant}/`,
      'nope',
    ]) {
      assert.ok(!text.includes(secret), `the output names ${secret}`);
    }
  });

  it('counts userinfo validations by result and refusals by the limit that refused them', async () => {
    const url = `${server.origin}/metrics`;
    const before = await metricsText(url);
    const t = { tenant: fixture.tenant };
    const tokens = await tokensFor(server, fixture, { clientId: fixture.web.client.client_id, secret: fixture.web.secret });
    const userinfo = (token: string) => fetch(`${fixture.issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await userinfo(String(tokens['access_token']))).status, 200);
    assert.equal((await userinfo('not-a-token')).status, 401);

    const throttled = await server.admin.clients.create({
      tenant: fixture.tenant,
      name: 'Throttled',
      grantTypes: ['client_credentials'],
      scope: 'orders:read',
      rateLimitPolicy: { tokenRequestsPerClientPerMinute: 1 },
    });
    // The window is the wall-clock minute: both requests inside one.
    await startOfAMinute(10);
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await post(
        `${fixture.issuer}/token`,
        { grant_type: 'client_credentials', scope: 'orders:read', resource: API },
        basic(throttled.client.clientId, throttled.clientSecret ?? ''),
      );
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [200, 429]);

    const text = await metricsText(url);
    const grewBy = (name: string, labels: Record<string, string>, by: number) =>
      assert.equal(valueOf(text, name, labels) - valueOf(before, name, labels), by, `${name} ${JSON.stringify(labels)}:\n${text}`);
    grewBy('oauth_token_validations_total', { ...t, validator: 'userinfo', result: 'valid' }, 1);
    grewBy('oauth_token_validations_total', { ...t, validator: 'userinfo', result: 'invalid' }, 1);
    grewBy('gatehouse_rate_limited_requests_total', { ...t, limit: 'token_requests_per_client_per_minute' }, 1);
    assert.ok(!text.includes(throttled.client.clientId), 'no client id in a label');
  });

  it('a made-up tenant in a path never gets a label of its own', async () => {
    await post(`${server.origin}/t/made-up-tenant-xyz/token`, { grant_type: 'client_credentials' });
    const text = await metricsText(`${server.origin}/metrics`);
    assert.ok(!text.includes('made-up-tenant-xyz'));
    assert.ok(valueOf(text, 'oauth_errors_total', { tenant: 'other', endpoint: '/token', error: 'invalid_request' }) >= 1, text);
  });
});

describe('/metrics access', () => {
  it('METRICS_TOKEN: 401 without the bearer token or with a wrong one, 200 with it', async () => {
    const server = await startAuthorizationServer({ METRICS_TOKEN: TOKEN });
    try {
      const url = `${server.origin}/metrics`;
      const missing = await scrape(url);
      assert.equal(missing.status, 401);
      assert.ok(!missing.text.includes('oauth_'));
      assert.equal((await scrape(url, `${TOKEN}x`)).status, 401);
      assert.equal((await scrape(url, 'short')).status, 401);
      assert.match(await metricsText(url, TOKEN), /oauth_request_duration_seconds/);
    } finally {
      await server.close();
    }
  });

  it('METRICS_PORT: /metrics leaves the app port (404) for its own listener', async () => {
    const port = await freePort();
    const server = await startAuthorizationServer({ METRICS_PORT: String(port), LISTEN_HOST: '127.0.0.1' });
    const close = await serveMetricsPort(server.infrastructure, server.config, { info: () => undefined });
    try {
      assert.equal((await scrape(`${server.origin}/metrics`)).status, 404);
      assert.match(await metricsText(`http://127.0.0.1:${port}/metrics`), /oauth_request_duration_seconds/);
      assert.equal((await scrape(`http://127.0.0.1:${port}/other`)).status, 404);
    } finally {
      await close();
      await server.close();
    }
  });

  it('METRICS_TENANT_LABEL_CAP: tenants past the cap are counted as `other`', async () => {
    const server = await startAuthorizationServer({ METRICS_TENANT_LABEL_CAP: '1' });
    try {
      const first = await createLifecycleFixture(server);
      const second = await createLifecycleFixture(server);
      for (const f of [first, second]) {
        const response = await post(`${f.issuer}/token`, { grant_type: 'client_credentials' }, basic(f.service.clientId, f.service.secret));
        assert.equal(response.status, 200);
      }
      const text = await metricsText(`${server.origin}/metrics`);
      assert.equal(valueOf(text, 'oauth_token_exchanges_total', { tenant: first.tenant, grant_type: 'client_credentials' }), 1);
      assert.equal(valueOf(text, 'oauth_token_exchanges_total', { tenant: 'other', grant_type: 'client_credentials' }), 1);
      assert.ok(!text.includes(second.tenant));
    } finally {
      await server.close();
    }
  });

  it('NODE_ENV=production without METRICS_TOKEN or METRICS_PORT: every entry point refuses to start, naming both', async () => {
    for (const entry of [ENTRY_POINTS.authorization, ENTRY_POINTS.admin, ENTRY_POINTS.worker, ENTRY_POINTS.standalone]) {
      const started = startProcess(
        entry,
        processEnv({ NODE_ENV: 'production', KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') }),
      );
      assert.equal(await started.exited, 1, entry);
      assert.match(started.output(), /Configuration error: METRICS_TOKEN, METRICS_PORT: one is required when NODE_ENV=production/);
    }
  });
});
