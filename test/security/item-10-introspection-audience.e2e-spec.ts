import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asTenantId } from '@gatehouse/protocol';
import { basic, Platform, PASSWORD } from './items-1-6-10-14.fixture.js';

const TENANT = 'introspect';
const REDIRECT_URI = 'https://client.example.test/callback';
const ORDERS = 'https://api.example.test/orders';
const BILLING = 'https://api.example.test/billing';

/**
 * Issue 10 item 10: any confidential client of a tenant could introspect every token of it.
 * Now only the token's own client, and clients an admin marked as resource server for the
 * token's audience (`resource_server_for`), learn that it is active; to anyone else it is
 * `{ active: false }` (RFC 7662 §2.2, §4), and the refusal is audited.
 */
describe('security item 10: introspection only by the token client or its resource server', { skip: !process.env['DATABASE_URL'] }, () => {
  let platform: Platform;
  let web: { clientId: string; secret: string };
  let orders: { clientId: string; secret: string };
  let foreign: { clientId: string; secret: string };
  let operator: string;
  before(async () => {
    platform = await Platform.start();
    const { services } = platform;
    await services.tenants.create(TENANT, 'Introspect Corp');
    await services.apis.create({ tenant: TENANT, identifier: ORDERS, scope: 'orders:read', name: 'Orders' });
    await services.apis.create({ tenant: TENANT, identifier: BILLING, scope: 'billing:read', name: 'Billing' });
    await services.users.create({ tenant: TENANT, username: 'alice', password: PASSWORD });
    const confidential = async (name: string, extra: { redirectUris?: string[]; resourceServerFor?: string[] } = {}) => {
      const created = await services.clients.create({
        tenant: TENANT,
        name,
        scope: 'openid orders:read billing:read',
        firstParty: true,
        grantTypes: extra.redirectUris ? ['authorization_code'] : ['client_credentials'],
        ...extra,
      });
      return { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    };
    web = await confidential('Web App', { redirectUris: [REDIRECT_URI] });
    orders = await confidential('Orders API', { resourceServerFor: [ORDERS] });
    foreign = await confidential('Some other confidential client');
    operator = (await services.adminTokens.mint({})).accessToken;
  });
  after(async () => {
    await platform?.close();
  });

  const introspect = (token: string, caller: { clientId: string; secret: string }) =>
    platform.post(`${platform.issuer(TENANT)}/introspect`, { token }, basic(caller.clientId, caller.secret));
  const tokenFor = async (resource: string) =>
    (
      await platform.signIn({
        tenant: TENANT,
        clientId: web.clientId,
        secret: web.secret,
        redirectUri: REDIRECT_URI,
        username: 'alice',
        scope: `openid ${resource === ORDERS ? 'orders:read' : 'billing:read'}`,
        resource,
      })
    ).tokens.access_token;

  it('a foreign confidential client gets { active: false } and nothing else; the refusal is audited', async () => {
    const token = await tokenFor(ORDERS);
    const response = await introspect(token, foreign);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { active: false });
    const tenant = await platform.infrastructure.persistence.repositories.tenants.findBySlug(TENANT);
    const events = await platform.infrastructure.persistence.repositories.auditOutbox.listByTenant(asTenantId(tenant?.id ?? ''), 500);
    assert.ok(
      events.some((event) => event.type === 'token.introspected' && event.outcome === 'failure' && event.clientId === foreign.clientId),
      'a failure event names the caller',
    );
  });

  it("the token's own client and the marked resource server get active: true", async () => {
    const token = await tokenFor(ORDERS);
    const own = await introspect(token, web);
    assert.equal(own.body['active'], true);
    assert.equal(own.body['client_id'], web.clientId);
    const server = await introspect(token, orders);
    assert.equal(server.body['active'], true);
    assert.equal(server.body['aud'], ORDERS);
  });

  it("a resource server for one API learns nothing about another API's tokens", async () => {
    const token = await tokenFor(BILLING);
    assert.equal((await introspect(token, web)).body['active'], true);
    assert.deepEqual((await introspect(token, orders)).body, { active: false });
  });

  it('a client_credentials token stops standing when its client is deleted (issue 10 item 6: bound to what it came from)', async () => {
    const batch = await platform.services.clients.create({
      tenant: TENANT,
      name: 'Batch job',
      grantTypes: ['client_credentials'],
      scope: 'orders:read',
    });
    const granted = await platform.post(
      `${platform.issuer(TENANT)}/token`,
      { grant_type: 'client_credentials', scope: 'orders:read', resource: ORDERS },
      basic(batch.client.clientId, batch.clientSecret ?? ''),
    );
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const token = String(granted.body['access_token']);
    assert.equal((await introspect(token, orders)).body['active'], true);
    await platform.services.clients.delete(TENANT, batch.client.clientId);
    assert.deepEqual((await introspect(token, orders)).body, { active: false });
  });

  it('an admin marks a resource server through the admin API; an unknown API is a 400 that changes nothing', async () => {
    const url = `${platform.adminBase}/tenants/${TENANT}/clients/${foreign.clientId}`;
    const headers = { authorization: `Bearer ${operator}`, 'content-type': 'application/json' };
    const read = await fetch(url, { headers });
    assert.deepEqual(((await read.json()) as Record<string, unknown>)['resource_server_for'], []);
    const etag = read.headers.get('etag') ?? '';
    const unknown = await fetch(url, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ resource_server_for: ['https://api.example.test/nope'] }),
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(((await unknown.json()) as { errors?: { field: string }[] }).errors?.[0]?.field, 'resource_server_for');
    const token = await tokenFor(BILLING);
    assert.deepEqual((await introspect(token, foreign)).body, { active: false });

    const marked = await fetch(url, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ resource_server_for: [BILLING] }),
    });
    assert.equal(marked.status, 200);
    assert.deepEqual(((await marked.json()) as Record<string, unknown>)['resource_server_for'], [BILLING]);
    assert.equal((await introspect(token, foreign)).body['active'], true);
  });
});
