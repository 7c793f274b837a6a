import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { CONFIG_CHANGE_CHANNEL, type ConfigChange } from '@gatehouse/persistence';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const withServices = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

/** Admin changes reach the authorization server's caches at once, not after their 10 s TTL. */
describe('admin changes invalidate cached tenants, clients and APIs', { skip: !withServices && 'needs DATABASE_URL and REDIS_URL' }, () => {
  let server: RunningAuthorizationServer;
  let subscriber: Redis;
  const heard: ConfigChange[] = [];
  const slug = uniqueSlug('cfg');

  before(async () => {
    server = await startAuthorizationServer();
    subscriber = new Redis(process.env['REDIS_URL']!);
    subscriber.on('message', (_channel: string, message: string) => heard.push(JSON.parse(message) as ConfigChange));
    await subscriber.subscribe(CONFIG_CHANGE_CHANNEL);
    await server.admin.tenants.create(slug);
  });
  after(async () => {
    await subscriber?.quit();
    await server?.close();
  });

  function authorizeUrl(clientId: string, redirectUri: string): string {
    const query = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid',
      state: 'xyz',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    return `${server.issuer(slug)}/authorize?${query.toString()}`;
  }

  it('a redirect URI added by an admin is accepted on the next request', async () => {
    const { client } = await server.admin.clients.create({ tenant: slug, name: 'cached', redirectUris: ['https://app.example/one'] });
    const unknown = await fetch(authorizeUrl(client.clientId, 'https://app.example/two'), { redirect: 'manual' });
    assert.equal(unknown.status, 400, 'the unregistered redirect URI is refused (and the client is now cached)');

    await server.admin.clients.update(slug, client, { redirect_uris: ['https://app.example/one', 'https://app.example/two'] }, 'test');
    const accepted = await fetch(authorizeUrl(client.clientId, 'https://app.example/two'), { redirect: 'manual' });
    assert.ok([302, 303].includes(accepted.status), `expected a redirect to the login page, got ${accepted.status}`);
    await until(() => heard.some((change) => change.kind === 'client' && change.clientId === client.clientId));
  });

  it('a secret rotated where this instance heard nothing of it still works here at once (the cache is checked against the database)', async () => {
    const { client, clientSecret } = await server.admin.clients.create({
      tenant: slug,
      name: 'rotated elsewhere',
      grantTypes: ['client_credentials'],
      scope: 'openid',
    });
    const introspect = (secret: string) =>
      fetch(`${server.issuer(slug)}/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}`,
        },
        body: 'token=not-a-token',
      });
    assert.equal((await introspect(clientSecret ?? '')).status, 200, 'authenticated (and the client is now cached)');
    // Another instance rotates: straight in the database, no announcement reaches this one.
    const tenant = await server.admin.tenants.get(slug);
    const fresh = 'a-brand-new-secret-value-0123456789abcdef';
    const rotated = await server.infrastructure.persistence.repositories.clients.rotateSecret(tenant.id, client.clientId, {
      expectedSecretHash: hashOpaqueSecret(clientSecret ?? ''),
      newSecretHash: hashOpaqueSecret(fresh),
      previousSecretExpiresAt: new Date(Date.now() + 60_000),
    });
    assert.ok(rotated);
    assert.equal((await introspect(fresh)).status, 200, 'the new secret works at once');
    assert.equal((await introspect('wrong-secret-0123456789')).status, 401);
  });

  it('an API created and deleted by an admin is seen by the token endpoint at once (its API cache is dropped)', async () => {
    const identifier = `https://orders.${slug}.example`;
    const { client, clientSecret } = await server.admin.clients.create({
      tenant: slug,
      name: 'machine',
      grantTypes: ['client_credentials'],
      scope: 'orders:read',
    });
    const token = () =>
      fetch(`${server.issuer(slug)}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret ?? ''}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: identifier, scope: 'orders:read' }),
      });
    const unknown = await token();
    assert.equal(unknown.status, 400, "no such API yet (and the tenant's APIs are now cached)");
    assert.equal(((await unknown.json()) as { error: string }).error, 'invalid_target');

    const api = await server.admin.apis.create({ tenant: slug, identifier, scope: 'orders:read' });
    const issued = await token();
    assert.equal(issued.status, 200, 'the new API is known at once');
    await issued.body?.cancel();

    await server.admin.apis.remove(slug, api.id);
    const deleted = await token();
    assert.equal(deleted.status, 400, 'the deleted API is unknown at once');
    await deleted.body?.cancel();
    const tenant = await server.admin.tenants.get(slug);
    await until(() => heard.some((change) => change.kind === 'apis' && change.tenantId === tenant.id));
  });

  it("discovery's scopes_supported follows an admin's API changes at once (it reads the token endpoint's API cache)", async () => {
    const discovery = async () =>
      ((await (await fetch(`${server.issuer(slug)}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] })
        .scopes_supported;
    const scope = `reports:${slug}`;
    assert.ok(!(await discovery()).includes(scope), "no such API yet (and the tenant's APIs are now cached)");
    const api = await server.admin.apis.create({ tenant: slug, identifier: `https://reports.${slug}.example`, scope });
    assert.ok((await discovery()).includes(scope), "the new API's scope is advertised at once");
    await server.admin.apis.remove(slug, api.id);
    assert.ok(!(await discovery()).includes(scope), "the deleted API's scope is gone at once");
  });

  it('an API created and deleted by an admin is a resource /authorize accepts and refuses at once (it reads the same API cache)', async () => {
    const scope = `ledger:${slug}`;
    const resource = `https://ledger.${slug}.example`;
    const redirectUri = 'https://app.example/ledger';
    const { client } = await server.admin.clients.create({
      tenant: slug,
      name: 'ledger app',
      redirectUris: [redirectUri],
      scope: `openid ${scope}`,
    });
    const authorize = () => {
      const url = new URL(authorizeUrl(client.clientId, redirectUri));
      url.searchParams.set('scope', `openid ${scope}`);
      url.searchParams.set('resource', resource);
      return fetch(url, { redirect: 'manual' });
    };
    const refusedTarget = (response: Response) => new URL(response.headers.get('location') ?? '', 'http://x').searchParams.get('error');
    const unknown = await authorize();
    assert.equal(refusedTarget(unknown), 'invalid_target', "no such API yet (and the tenant's APIs are now cached)");

    const api = await server.admin.apis.create({ tenant: slug, identifier: resource, scope });
    const accepted = await authorize();
    assert.ok([302, 303].includes(accepted.status), `expected a redirect to the login page, got ${accepted.status}`);
    assert.equal(refusedTarget(accepted), null, 'the new API is a resource at once');

    await server.admin.apis.remove(slug, api.id);
    assert.equal(refusedTarget(await authorize()), 'invalid_target', 'the deleted API is no resource at once');
  });

  it('a tenant disabled by an admin stops answering at once', async () => {
    const discovery = `${server.issuer(slug)}/.well-known/openid-configuration`;
    assert.equal((await fetch(discovery)).status, 200);
    const tenant = await server.admin.tenants.get(slug);
    await server.admin.tenants.update(slug, tenant, { status: 'disabled' });
    assert.equal((await fetch(discovery)).status, 404);
    await until(() => heard.some((change) => change.kind === 'tenant' && change.slug === slug));
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; waited < 3_000; waited += 20) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('the change was not published on Redis');
}
