import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { API } from '../flow/code-flow.fixture.js';
import { basic, createLifecycleFixture, post, refreshWith, tokensFor, type LifecycleFixture } from './lifecycle.fixture.js';

describe('refresh tokens: rotation, reuse detection, binding, scope', () => {
  let server: RunningAuthorizationServer;
  let fixture: LifecycleFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createLifecycleFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  const spa = () => ({ clientId: fixture.spa.client.client_id });
  const refresh = (token: string, extra: Record<string, string> = {}, clientId?: string) => refreshWith(fixture, token, extra, clientId);
  const introspect = (token: string) =>
    post(`${fixture.issuer}/introspect`, { token }, basic(fixture.introspector.clientId, fixture.introspector.secret));

  it('offline_access gets a 256-bit refresh token; without it (OIDC) there is none', async () => {
    const withOffline = await tokensFor(server, fixture, spa());
    assert.ok(Buffer.from(String(withOffline['refresh_token']), 'base64url').length >= 32);
    const without = await tokensFor(server, fixture, spa(), 'openid');
    assert.equal(without['refresh_token'], undefined);
  });

  it('a public client rotates on every use: new refresh token, new access and ID tokens', async () => {
    const first = await tokensFor(server, fixture, spa());
    const next = await refresh(String(first['refresh_token']));
    assert.equal(next.status, 200);
    assert.equal(next.headers.get('cache-control'), 'no-store');
    assert.notEqual(next.body['refresh_token'], first['refresh_token']);
    assert.ok(next.body['access_token']);
    assert.ok(next.body['id_token']);
    assert.equal(next.body['scope'], 'openid offline_access');
  });

  it('reusing a rotated token is invalid_grant and revokes the whole family', async () => {
    // For the Orders API, whose tokens the introspector may see (RFC 7662 §4).
    const first = await tokensFor(server, fixture, spa(), 'openid offline_access orders:read', API);
    const second = await refresh(String(first['refresh_token']));
    assert.equal(second.status, 200);
    assert.equal((await introspect(String(second.body['access_token']))).body['active'], true);

    const reuse = await refresh(String(first['refresh_token']));
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body['error'], 'invalid_grant');
    assert.deepEqual(
      (await introspect(String(second.body['access_token']))).body,
      { active: false },
      "the family's access token is inactive",
    );
    assert.deepEqual((await introspect(String(first['access_token']))).body, { active: false });
    assert.equal(
      (await refresh(String(second.body['refresh_token']))).body['error'],
      'invalid_grant',
      'the newest refresh token is dead too',
    );
  });

  it('two racing refreshes with the same token: exactly one new token (no grace period)', async () => {
    const first = await tokensFor(server, fixture, spa());
    const results = await Promise.all([refresh(String(first['refresh_token'])), refresh(String(first['refresh_token']))]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
    const loser = results.find((r) => r.status === 400);
    assert.equal(loser?.body['error'], 'invalid_grant');
  });

  it("another client presenting a refresh token gets invalid_grant, and the owner's token keeps working", async () => {
    const first = await tokensFor(server, fixture, spa());
    const stolen = await post(
      `${fixture.issuer}/token`,
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      basic(fixture.steady.clientId, fixture.steady.secret),
    );
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body['error'], 'invalid_grant');
    assert.equal((await refresh(String(first['refresh_token']))).status, 200);
  });

  it('scope may narrow but never widen', async () => {
    const first = await tokensFor(server, fixture, spa());
    const wider = await refresh(String(first['refresh_token']), { scope: 'openid offline_access profile' });
    assert.equal(wider.status, 400);
    assert.equal(wider.body['error'], 'invalid_scope');
    const narrower = await refresh(String(first['refresh_token']), { scope: 'offline_access' });
    assert.equal(narrower.status, 200);
    assert.equal(narrower.body['scope'], 'offline_access');
    assert.equal(narrower.body['id_token'], undefined);
  });

  it('a confidential client that opted out of rotation keeps its refresh token', async () => {
    const first = await tokensFor(server, fixture, fixture.steady);
    const auth = basic(fixture.steady.clientId, fixture.steady.secret);
    const once = await post(
      `${fixture.issuer}/token`,
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      auth,
    );
    const twice = await post(
      `${fixture.issuer}/token`,
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      auth,
    );
    assert.equal(once.status, 200);
    assert.equal(twice.status, 200);
    assert.equal(once.body['refresh_token'], undefined, 'no new refresh token is issued');
  });

  it('an unknown or garbage refresh token is invalid_grant', async () => {
    assert.equal((await refresh('not-a-real-token')).body['error'], 'invalid_grant');
  });

  it('refresh and reuse are in the audit outbox', async () => {
    const tenant = await server.infrastructure.persistence.repositories.tenants.findBySlug(fixture.tenant);
    assert.ok(tenant);
    const types = new Set(
      (await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(tenant.id, 5000)).map((e) => e.type),
    );
    for (const type of ['token.refreshed', 'refresh.reuse_detected', 'token.introspected'] as const)
      assert.ok(types.has(type), `missing ${type}`);
  });
});
