import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uniqueSlug } from '../support/index.js';
import { startRegistrationSecurityFixture, type RegistrationSecurityFixture } from './item-2-11-registration.fixture.js';

const REDIRECT_URI = 'https://client.example.test/callback';

type Event = Record<string, unknown> & { type: string; outcome: string; details?: Record<string, unknown> };

/**
 * Issue 10 item 11: RFC 7592 PUT and DELETE are audited like admin changes (`admin.change`
 * with actor, action, target, before/after), the actor being the client's registration access
 * token by client id — never a token value.
 */
describe('security: item 11, RFC 7592 updates and deletions leave audit events', () => {
  let fx: RegistrationSecurityFixture;
  let tenant: string;
  let initialToken: string;
  before(async () => {
    fx = await startRegistrationSecurityFixture();
    tenant = uniqueSlug('sec-aud');
    await fx.server.admin.tenants.create(tenant, 'Audit Corp');
    const created = await fx.admin('POST', `/tenants/${tenant}/registration-tokens`, {});
    initialToken = String(created.body['token']);
  });
  after(async () => {
    await fx?.close();
  });

  const events = async (): Promise<Event[]> =>
    (await fx.server.infrastructure.persistence.repositories.auditOutbox.listByTenant(
      (await fx.tenant(tenant)).id,
      1000,
    )) as unknown as Event[];

  it('register, PUT and DELETE each write an admin.change naming the actor and the client, never a token', async () => {
    const registered = await fx.send('POST', `${fx.server.issuer(tenant)}/register`, initialToken, {
      client_name: 'Audited App',
      redirect_uris: [REDIRECT_URI],
      scope: 'openid',
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const clientId = String(registered.body['client_id']);
    const uri = String(registered.body['registration_client_uri']);
    const rat = String(registered.body['registration_access_token']);
    const secret = String(registered.body['client_secret']);

    const updated = await fx.send('PUT', uri, rat, {
      client_id: clientId,
      client_name: 'Audited App v2',
      redirect_uris: [REDIRECT_URI],
      scope: 'openid profile',
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal((await fx.send('DELETE', uri, rat)).status, 204);

    const changes = (await events()).filter((event) => event.type === 'admin.change' && event['clientId'] === clientId);
    const byAction = (action: string) => changes.find((event) => event.details?.['action'] === action);

    const update = byAction('client.updated');
    assert.ok(update, 'the PUT is audited');
    assert.equal(update.outcome, 'success');
    assert.equal(update.details?.['actor'], `client:${clientId}`);
    assert.equal(update.details?.['target'], clientId);
    assert.equal((update.details?.['before'] as Record<string, unknown>)['client_name'], 'Audited App');
    assert.equal((update.details?.['after'] as Record<string, unknown>)['client_name'], 'Audited App v2');
    assert.equal((update.details?.['after'] as Record<string, unknown>)['scope'], 'openid profile');

    const deletion = byAction('client.deleted');
    assert.ok(deletion, 'the DELETE is audited');
    assert.equal(deletion.outcome, 'success');
    assert.equal(deletion.details?.['actor'], `client:${clientId}`);
    assert.equal(deletion.details?.['target'], clientId);
    assert.equal(deletion.details?.['after'], null);

    const registration = byAction('client.registered');
    assert.ok(registration);
    assert.match(String(registration.details?.['actor']), /^initial_access_token:[0-9a-f-]{36}$/);

    const recorded = JSON.stringify(changes);
    for (const value of [initialToken, rat, secret]) assert.equal(recorded.includes(value), false, 'no token or secret value is audited');
  });

  it('a PUT refused by the policy is audited as a failure and changes nothing', async () => {
    const registered = await fx.send('POST', `${fx.server.issuer(tenant)}/register`, initialToken, { redirect_uris: [REDIRECT_URI] });
    const clientId = String(registered.body['client_id']);
    const rat = String(registered.body['registration_access_token']);
    const refused = await fx.send('PUT', String(registered.body['registration_client_uri']), rat, {
      client_id: clientId,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['client_credentials'],
    });
    assert.equal(refused.body['error'], 'invalid_client_metadata');
    const mine = (await events()).filter((event) => event.type === 'admin.change' && event['clientId'] === clientId);
    assert.equal(mine.filter((event) => event.details?.['action'] === 'client.updated').length, 0);
    const failure = mine.find((event) => event.outcome === 'failure');
    assert.equal(failure?.details?.['action'], 'client.update');
    assert.equal(failure?.['errorCode'], 'invalid_client_metadata');
    assert.equal(failure?.details?.['actor'], `client:${clientId}`);
    assert.equal(JSON.stringify(mine).includes(rat), false);
  });

  it('a DELETE with a wrong registration access token is refused and audits no deletion', async () => {
    const registered = await fx.send('POST', `${fx.server.issuer(tenant)}/register`, initialToken, { redirect_uris: [REDIRECT_URI] });
    const clientId = String(registered.body['client_id']);
    assert.equal((await fx.send('DELETE', String(registered.body['registration_client_uri']), 'not-the-token')).status, 401);
    const mine = (await events()).filter((event) => event['clientId'] === clientId && event.details?.['action'] === 'client.deleted');
    assert.equal(mine.length, 0);
    assert.ok(await fx.server.infrastructure.persistence.repositories.clients.findByClientId((await fx.tenant(tenant)).id, clientId));
  });
});
