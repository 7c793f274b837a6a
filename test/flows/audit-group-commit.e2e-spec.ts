import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';
import { auditEvents, basic, postForm } from '../security/items-4-7-8-9-14.fixture.js';

/**
 * Issue 12 / ADR 0007: client_credentials tokens are audited through the group-commit outbox.
 * Every response still waits for its own row's commit; when that commit fails, the request
 * answers server_error and carries no token.
 */
describe('audit group commit at the token endpoint', () => {
  let server: RunningAuthorizationServer;
  let issuer: string;
  let healthy: { clientId: string; secret: string };
  let doomed: { clientId: string; secret: string };
  const tenant = uniqueSlug('groupcommit');
  const trigger = `refuse_outbox_${randomBytes(4).toString('hex')}`;

  before(async () => {
    server = await startAuthorizationServer();
    await server.admin.tenants.create(tenant, 'Group commit');
    const create = async (name: string) => {
      const created = await server.admin.clients.create({ tenant, name, grantTypes: ['client_credentials'], scope: 'jobs' });
      return { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    };
    healthy = await create('Healthy');
    doomed = await create('Doomed');
    issuer = server.issuer(tenant);
    // The database refuses the doomed client's audit rows, as a full disk or a lost connection would.
    await server.infrastructure.database.dataSource.query(
      `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.payload->>'clientId' = '${doomed.clientId}' THEN RAISE EXCEPTION 'outbox refused'; END IF;
         RETURN NEW;
       END $$`,
    );
    await server.infrastructure.database.dataSource.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_outbox FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
    );
  });
  after(async () => {
    await server?.infrastructure.database.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger} ON audit_outbox`);
    await server?.infrastructure.database.dataSource.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
    await server?.close();
  });

  const token = (client: { clientId: string; secret: string }) =>
    postForm(`${issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.secret) });

  it('60 concurrent requests each get a token, and each token has its own durable token.issued row', async () => {
    const responses = await Promise.all(Array.from({ length: 60 }, () => token(healthy)));
    const bodies = await Promise.all(
      responses.map(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> })),
    );
    for (const { status, body } of bodies) assert.equal(status, 200, JSON.stringify(body));
    const tokens = new Set(bodies.map(({ body }) => body['access_token']));
    assert.equal(tokens.size, 60);
    // Read right after the responses: a row missing here would be a token answered before its audit commit.
    const issued = (await auditEvents(server, tenant, 'token.issued')).filter((event) => event.clientId === healthy.clientId);
    assert.equal(issued.length, 60);
  });

  it('a request whose audit row cannot be committed answers server_error, no-store, and no token', async () => {
    const response = await token(doomed);
    const text = await response.text();
    assert.equal(response.status, 500, text);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = JSON.parse(text) as Record<string, unknown>;
    assert.equal(body['error'], 'server_error');
    assert.equal(body['access_token'], undefined);
    assert.doesNotMatch(text, /outbox refused|eyJ/, 'neither the database error nor a token leaks');
    const issued = (await auditEvents(server, tenant, 'token.issued')).filter((event) => event.clientId === doomed.clientId);
    assert.equal(issued.length, 0);
  });

  it('a failed batch does not stop the next ones: concurrent healthy requests still get tokens', async () => {
    const before = (await auditEvents(server, tenant, 'token.issued')).filter((event) => event.clientId === healthy.clientId).length;
    const mixed = await Promise.all([token(doomed), ...Array.from({ length: 20 }, () => token(healthy)), token(doomed)]);
    assert.equal(mixed[0]?.status, 500);
    assert.equal(mixed.at(-1)?.status, 500);
    // A healthy request that shared the failed INSERT fails with it (never a token without its row); the rest succeed.
    const ok = mixed.filter((response) => response.status === 200).length;
    assert.ok(mixed.every((response) => response.status === 200 || response.status === 500));
    const after = (await auditEvents(server, tenant, 'token.issued')).filter((event) => event.clientId === healthy.clientId).length;
    assert.equal(after - before, ok, 'exactly one row per token answered');
    const retry = await Promise.all(Array.from({ length: 5 }, () => token(healthy)));
    for (const response of retry) assert.equal(response.status, 200);
  });
});
