import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Redis } from 'ioredis';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { API } from '../flow/code-flow.fixture.js';
import { basic, createLifecycleFixture, post, tokensFor, type LifecycleFixture } from './lifecycle.fixture.js';

describe('client_credentials, introspection (RFC 7662) and revocation (RFC 7009)', () => {
  let server: RunningAuthorizationServer;
  let fixture: LifecycleFixture;
  let other: LifecycleFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createLifecycleFixture(server);
    other = await createLifecycleFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  const introspect = (
    token: string,
    extra: Record<string, string> = {},
    auth = basic(fixture.introspector.clientId, fixture.introspector.secret),
  ) => post(`${fixture.issuer}/introspect`, { token, ...extra }, auth);
  const revoke = (token: string, form: Record<string, string>, auth: Record<string, string> = {}) =>
    post(`${fixture.issuer}/revoke`, { token, ...form }, auth);
  const serviceToken = (form: Record<string, string> = {}) =>
    post(`${fixture.issuer}/token`, { grant_type: 'client_credentials', ...form }, basic(fixture.service.clientId, fixture.service.secret));

  describe('client_credentials', () => {
    it('issues an RFC 9068 token whose sub is the client, with no refresh or ID token', async () => {
      const response = await serviceToken({ scope: 'orders:read', resource: API });
      assert.equal(response.status, 200);
      assert.equal(response.body['refresh_token'], undefined);
      assert.equal(response.body['id_token'], undefined);
      const claims = decodeJwt(String(response.body['access_token']));
      assert.equal(claims.sub, fixture.service.clientId);
      assert.equal(claims['client_id'], fixture.service.clientId);
      assert.equal(claims.aud, API);
      assert.equal(claims['scope'], 'orders:read');
    });

    it("limits scopes to the client's (OpenID scopes never apply) and refuses scopes it does not have", async () => {
      const all = await serviceToken({ resource: API });
      assert.equal(all.body['scope'], 'orders:read orders:write');
      assert.equal((await serviceToken({ scope: 'admin' })).body['error'], 'invalid_scope');
    });

    it('without resource the token carries no API scope (its audience is the issuer)', async () => {
      const bare = await serviceToken();
      assert.equal(bare.status, 200);
      assert.equal(bare.body['scope'], undefined);
      assert.equal(decodeJwt(String(bare.body['access_token']))['scope'], undefined);
      assert.equal((await serviceToken({ scope: 'orders:read' })).body['error'], 'invalid_scope');
    });

    it('a public client cannot use it, nor a client without the grant', async () => {
      const publicAttempt = await post(`${fixture.issuer}/token`, {
        grant_type: 'client_credentials',
        client_id: fixture.spa.client.client_id,
      });
      assert.equal(publicAttempt.body['error'], 'unauthorized_client');
      const webAttempt = await post(
        `${fixture.issuer}/token`,
        { grant_type: 'client_credentials' },
        basic(fixture.web.client.client_id, fixture.web.secret),
      );
      assert.equal(webAttempt.body['error'], 'unauthorized_client');
    });
  });

  describe('introspection', () => {
    it('requires client authentication: none is 401, a public client is 401', async () => {
      const anonymous = await post(`${fixture.issuer}/introspect`, { token: 'x' });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body['error'], 'invalid_client');
      const publicClient = await post(`${fixture.issuer}/introspect`, { token: 'x', client_id: fixture.spa.client.client_id });
      assert.equal(publicClient.status, 401);
    });

    it('an active access token for the API it serves reports the standard members', async () => {
      const tokens = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id }, 'openid offline_access orders:read', API);
      const response = await introspect(String(tokens['access_token']));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.body['active'], true);
      assert.equal(response.body['client_id'], fixture.spa.client.client_id);
      assert.equal(response.body['iss'], fixture.issuer);
      assert.equal(response.body['scope'], 'openid offline_access orders:read');
      assert.equal(response.body['token_type'], 'Bearer');
      for (const member of ['sub', 'exp', 'iat', 'jti', 'aud']) assert.ok(response.body[member] !== undefined, member);
    });

    it('a refresh token is active to its own client, and inactive to any other caller', async () => {
      const tokens = await tokensFor(server, fixture, fixture.steady);
      const hints: Record<string, string>[] = [{}, { token_type_hint: 'refresh_token' }, { token_type_hint: 'access_token' }];
      for (const extra of hints) {
        const response = await introspect(String(tokens['refresh_token']), extra, basic(fixture.steady.clientId, fixture.steady.secret));
        assert.equal(response.body['active'], true);
        assert.equal(response.body['token_type'], 'refresh_token');
      }
      assert.deepEqual((await introspect(String(tokens['refresh_token']))).body, { active: false }, 'another client learns nothing');
    });

    it("malformed, unknown and another tenant's tokens are { active: false } and nothing else", async () => {
      const foreign = await tokensFor(server, other, { clientId: other.spa.client.client_id });
      for (const token of ['garbage', 'a.b.c', String(foreign['access_token']), String(foreign['refresh_token'])]) {
        assert.deepEqual((await introspect(token)).body, { active: false }, token.slice(0, 12));
      }
    });

    it('an introspection request without a token is invalid_request', async () => {
      const response = await post(`${fixture.issuer}/introspect`, {}, basic(fixture.introspector.clientId, fixture.introspector.secret));
      assert.equal(response.status, 400);
      assert.equal(response.body['error'], 'invalid_request');
    });
  });

  describe('revocation', () => {
    it('revoking a refresh token revokes its family: refresh fails and its access tokens turn inactive', async () => {
      const tokens = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id }, 'openid offline_access orders:read', API);
      assert.equal((await introspect(String(tokens['access_token']))).body['active'], true);
      const response = await revoke(String(tokens['refresh_token']), {
        client_id: fixture.spa.client.client_id,
        token_type_hint: 'refresh_token',
      });
      assert.equal(response.status, 200);
      assert.deepEqual((await introspect(String(tokens['access_token']))).body, { active: false });
      const refreshed = await post(`${fixture.issuer}/token`, {
        grant_type: 'refresh_token',
        refresh_token: String(tokens['refresh_token']),
        client_id: fixture.spa.client.client_id,
      });
      assert.equal(refreshed.body['error'], 'invalid_grant');
    });

    it('revoking an access token records its jti: introspection and userinfo refuse it', async () => {
      const tokens = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id });
      assert.equal((await revoke(String(tokens['access_token']), { client_id: fixture.spa.client.client_id })).status, 200);
      assert.deepEqual((await introspect(String(tokens['access_token']))).body, { active: false });
      const userinfo = await fetch(`${fixture.issuer}/userinfo`, {
        headers: { authorization: `Bearer ${String(tokens['access_token'])}` },
      });
      assert.equal(userinfo.status, 401);
    });

    it("unknown tokens answer 200; another client's token answers 200 and stays active", async () => {
      assert.equal((await revoke('never-issued', { client_id: fixture.spa.client.client_id })).status, 200);
      const tokens = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id });
      const response = await revoke(String(tokens['refresh_token']), {}, basic(fixture.web.client.client_id, fixture.web.secret));
      assert.equal(response.status, 200);
      const stillWorks = await post(`${fixture.issuer}/token`, {
        grant_type: 'refresh_token',
        refresh_token: String(tokens['refresh_token']),
        client_id: fixture.spa.client.client_id,
      });
      assert.equal(stillWorks.status, 200, "the owner's refresh token was not revoked");
    });

    it('requires client authentication', async () => {
      const response = await revoke('x', {}, basic(fixture.web.client.client_id, 'wrong'));
      assert.equal(response.status, 401);
    });

    it(
      'publishes every revocation on Redis for resource servers',
      { skip: process.env['REDIS_URL'] ? false : 'needs REDIS_URL' },
      async () => {
        const subscriber = new Redis(process.env['REDIS_URL'] ?? '');
        try {
          const tokens = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id });
          const jti = decodeJwt(String(tokens['access_token'])).jti;
          // Other suites revoke tokens on the same Redis at the same time: wait for this token's message.
          const received = new Promise<Record<string, unknown>>((resolve) => {
            subscriber.on('message', (_channel, message) => {
              const parsed = JSON.parse(message) as Record<string, unknown>;
              if (Array.isArray(parsed['jtis']) && parsed['jtis'].includes(jti)) resolve(parsed);
            });
          });
          await subscriber.subscribe('gatehouse:revocations');
          await revoke(String(tokens['access_token']), { client_id: fixture.spa.client.client_id });
          const message = await received;
          assert.deepEqual(message['jtis'], [jti]);
        } finally {
          subscriber.disconnect();
        }
      },
    );
  });
});
