import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  introspectionStanding,
  redisReplayStore,
  protectedResourceMetadataHandler,
  requireAccessToken,
  ResourceServer,
  RevocationList,
  type ProtectedRequest,
} from '@gatehouse/resource-server';
import { freePort, startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const withServices = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

/** A minimal protected API on plain node:http, as a tenant's developer would write it with the package. */
async function startApi(server: ResourceServer, scopes: readonly string[]): Promise<{ origin: string; close(): Promise<void> }> {
  const metadata = protectedResourceMetadataHandler(server);
  const guard = requireAccessToken(server, { scopes });
  const http: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    metadata(request, response, () =>
      guard(request, response, (error?: unknown) => {
        if (error) return void response.writeHead(500).end();
        const auth = (request as ProtectedRequest).auth;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ orders: [], for: auth?.client_id }));
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) assert.fail(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

/** Issue 16: @gatehouse/resource-server protecting an API against a real Gatehouse, PostgreSQL and Redis. */
describe('the resource-server package against Gatehouse', { skip: !withServices && 'needs DATABASE_URL and REDIS_URL' }, () => {
  let gatehouse: RunningAuthorizationServer;
  const slug = uniqueSlug('rs');
  let identifier: string;
  let machine: { clientId: string; secret: string };
  let apiClient: { clientId: string; secret: string };
  const subscriber = new Redis(process.env['REDIS_URL'] ?? '', { lazyConnect: true });
  const running: { close(): Promise<void> }[] = [];

  before(async () => {
    gatehouse = await startAuthorizationServer();
    // The API's identifier is the URL it is served at, so its RFC 9728 metadata is where clients look.
    identifier = `http://127.0.0.1:${await freePort()}/orders`;
    await gatehouse.admin.tenants.create(slug);
    await gatehouse.admin.apis.create({ tenant: slug, identifier, scope: 'orders:read orders:write', name: 'Orders' });
    const created = await gatehouse.admin.clients.create({
      tenant: slug,
      name: 'machine',
      grantTypes: ['client_credentials'],
      scope: 'orders:read',
    });
    machine = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    const resourceServerClient = await gatehouse.admin.clients.create({
      tenant: slug,
      name: 'orders api',
      grantTypes: ['client_credentials'],
      scope: 'orders:read',
      resourceServerFor: [identifier],
    });
    apiClient = { clientId: resourceServerClient.client.clientId, secret: resourceServerClient.clientSecret ?? '' };
    await subscriber.connect();
  });
  after(async () => {
    for (const server of running) await server.close();
    subscriber.disconnect();
    await gatehouse?.close();
  });

  const basic = (client: { clientId: string; secret: string }) =>
    `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;

  async function accessToken(scope = 'orders:read'): Promise<string> {
    const response = await fetch(`${gatehouse.issuer(slug)}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(machine) },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: identifier, scope }),
      redirect: 'manual',
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function revoke(token: string): Promise<void> {
    const response = await fetch(`${gatehouse.issuer(slug)}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(machine) },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      redirect: 'manual',
    });
    assert.equal(response.status, 200);
  }

  function resourceServer(extra: Partial<ConstructorParameters<typeof ResourceServer>[0]> = {}): ResourceServer {
    return new ResourceServer({
      issuer: gatehouse.issuer(slug),
      audience: identifier,
      keys: new URL(`${gatehouse.issuer(slug)}/jwks`),
      metadata: { scopesSupported: ['orders:read', 'orders:write'], resourceName: 'Orders' },
      ...extra,
    });
  }

  it('a client with no token finds the authorization server from the challenge alone (RFC 9728), then gets in', async () => {
    const api = await startApi(resourceServer(), ['orders:read']);
    running.push(api);
    const bare = await fetch(`${api.origin}/orders`, { redirect: 'manual' });
    assert.equal(bare.status, 401);
    const challenge = bare.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    assert.equal(metadataUrl, `${new URL(identifier).origin}/.well-known/oauth-protected-resource/orders`);
    assert.doesNotMatch(challenge, /error=/, 'no credentials: a bare challenge (RFC 6750 §3.1)');

    const metadata = (await (
      await fetch(`${api.origin}/.well-known/oauth-protected-resource/orders`, { redirect: 'manual' })
    ).json()) as Record<string, unknown>;
    assert.equal(metadata['resource'], identifier);
    assert.deepEqual(metadata['authorization_servers'], [gatehouse.issuer(slug)]);
    assert.deepEqual(metadata['bearer_methods_supported'], ['header']);
    const discovery = await fetch(`${metadata['authorization_servers'][0]}/.well-known/openid-configuration`, {
      redirect: 'manual',
    });
    assert.equal(discovery.status, 200);

    const ok = await fetch(`${api.origin}/orders`, { headers: { authorization: `Bearer ${await accessToken()}` }, redirect: 'manual' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { for: string }).for, machine.clientId);
  });

  it('a token without the scope the route needs is 403 insufficient_scope, naming the scope', async () => {
    const api = await startApi(resourceServer(), ['orders:write']);
    running.push(api);
    const response = await fetch(`${api.origin}/orders`, {
      headers: { authorization: `Bearer ${await accessToken()}` },
      redirect: 'manual',
    });
    assert.equal(response.status, 403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="orders:write"/);
    assert.match(challenge, /resource_metadata="/);
    assert.equal(((await response.json()) as { error: string }).error, 'insufficient_scope');
  });

  it('a forged or tampered token is refused with invalid_token', async () => {
    const api = await startApi(resourceServer(), ['orders:read']);
    running.push(api);
    const token = await accessToken();
    const [header, payload] = token.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(86)}`;
    const response = await fetch(`${api.origin}/orders`, { headers: { authorization: `Bearer ${tampered}` }, redirect: 'manual' });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('a token revoked at Gatehouse is refused within a second, through the Redis revocation channel', async () => {
    const revocations = new RevocationList();
    await revocations.listen(subscriber);
    const api = await startApi(resourceServer({ revocations }), ['orders:read']);
    running.push(api);
    const token = await accessToken();
    const call = () => fetch(`${api.origin}/orders`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
    assert.equal((await call()).status, 200);
    await revoke(token);
    const took = await until(async () => (await call()).status === 401, 1000);
    assert.ok(took <= 1000);
    // Another token of the same client is untouched.
    const other = await fetch(`${api.origin}/orders`, { headers: { authorization: `Bearer ${await accessToken()}` }, redirect: 'manual' });
    assert.equal(other.status, 200);
  });

  it('introspection mode asks Gatehouse: a revoked token is refused at once, and negative answers are never cached', async () => {
    let asked = 0;
    const counting: typeof fetch = (input, init) => {
      asked += 1;
      return fetch(input, init);
    };
    const standing = introspectionStanding({
      endpoint: `${gatehouse.issuer(slug)}/introspect`,
      clientId: apiClient.clientId,
      clientSecret: apiClient.secret,
      fetch: counting,
    });
    const api = await startApi(resourceServer({ standing }), ['orders:read']);
    running.push(api);
    const token = await accessToken();
    const call = () => fetch(`${api.origin}/orders`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
    assert.equal((await call()).status, 200);
    assert.equal((await call()).status, 200);
    assert.equal(asked, 1, 'the positive answer is cached');
    await revoke(token);
    // Still within the positive cache: introspection mode bounds staleness by its cache (30 s default), so
    // a caller needing "now" sets cacheSeconds; here a fresh validator shows the issuer's answer.
    const fresh = introspectionStanding({
      endpoint: `${gatehouse.issuer(slug)}/introspect`,
      clientId: apiClient.clientId,
      clientSecret: apiClient.secret,
      fetch: counting,
    });
    const strict = await startApi(resourceServer({ standing: fresh }), ['orders:read']);
    running.push(strict);
    const before = asked;
    const call2 = () => fetch(`${strict.origin}/orders`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
    assert.equal((await call2()).status, 401);
    assert.equal((await call2()).status, 401);
    assert.equal(asked - before, 2, 'each refusal asked again: negatives are not cached');
  });

  it('redisReplayStore: a DPoP proof jti is accepted once across instances, and kept until it expires', async () => {
    const redis = new Redis(process.env['REDIS_URL'] ?? '');
    try {
      const first = redisReplayStore(redis);
      const second = redisReplayStore(redis);
      const jti = `jti-${Date.now()}-${Math.random()}`;
      assert.equal(await first.markUsed('resource', jti, new Date(Date.now() + 60_000)), true);
      assert.equal(await second.markUsed('resource', jti, new Date(Date.now() + 60_000)), false, 'replayed at another instance');
      const ttl = await redis.pttl(`gatehouse-rs:dpop-jti:resource:${jti}`);
      assert.ok(ttl > 50_000 && ttl <= 60_000, `kept until the proof expires (${ttl} ms)`);
    } finally {
      redis.disconnect();
    }
  });
});
