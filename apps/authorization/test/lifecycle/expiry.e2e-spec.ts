import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { codeFor, createLifecycleFixture, exchangeCode, refreshWith, tokensFor, type LifecycleFixture } from './lifecycle.fixture.js';

const DAY = 86_400;

/**
 * Lifetimes, on the server's clock moved forward rather than slept through: the code's 60 s, and the
 * refresh token's idle (14 days by default) and absolute (90 days) lifetimes. The clock only moves on.
 */
describe('expiry: authorization codes and refresh tokens', () => {
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
  const refresh = (token: string) => refreshWith(fixture, token);
  const codeForSpa = () => codeFor(server, fixture, spa(), 'openid');
  const exchange = (grant: { code: string; verifier: string }) => exchangeCode(fixture, spa(), grant);

  it('an authorization code is redeemable for 60 s, then invalid_grant', async () => {
    const fresh = await codeForSpa();
    server.advance(50);
    assert.equal((await exchange(fresh)).status, 200, 'within its lifetime');

    const stale = await codeForSpa();
    server.advance(61);
    const refused = await exchange(stale);
    assert.equal(refused.status, 400);
    assert.equal(refused.body['error'], 'invalid_grant');
    assert.equal((await exchange(stale)).body['error'], 'invalid_grant', 'and it stays spent');
  });

  it('a refresh token dies after its idle lifetime; each rotation starts a new one', async () => {
    const first = await tokensFor(server, fixture, spa());
    server.advance(13 * DAY);
    const second = await refresh(String(first['refresh_token']));
    assert.equal(second.status, 200, 'used within 14 days');
    server.advance(13 * DAY);
    const third = await refresh(String(second.body['refresh_token']));
    assert.equal(third.status, 200, '26 days after the grant, but 13 after its own issue');
    server.advance(14 * DAY + 60);
    const idle = await refresh(String(third.body['refresh_token']));
    assert.equal(idle.status, 400);
    assert.equal(idle.body['error'], 'invalid_grant');
  });

  it('a grant ends at its absolute lifetime however often it is refreshed', async () => {
    let token = String((await tokensFor(server, fixture, spa()))['refresh_token']);
    for (let day = 13; day <= 13 * 6; day += 13) {
      server.advance(13 * DAY);
      const next = await refresh(token);
      assert.equal(next.status, 200, `day ${day}`);
      token = String(next.body['refresh_token']);
    }
    server.advance(13 * DAY);
    const ended = await refresh(token);
    assert.equal(ended.status, 400, 'day 91: past the 90-day absolute lifetime');
    assert.equal(ended.body['error'], 'invalid_grant');
  });
});
