import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { API } from '../flow/code-flow.fixture.js';
import { createLifecycleFixture, tokensFor, type LifecycleFixture } from './lifecycle.fixture.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** The token lifecycle driven by a spec-strict relying party library (oauth4webapi). */
describe('token lifecycle with oauth4webapi', () => {
  let server: RunningAuthorizationServer;
  let fixture: LifecycleFixture;
  before(async () => {
    server = await startAuthorizationServer();
    fixture = await createLifecycleFixture(server);
  });
  after(async () => {
    await server?.close();
  });

  const introspector = () => ({
    client: { client_id: fixture.introspector.clientId },
    auth: oauth.ClientSecretBasic(fixture.introspector.secret),
  });

  it('refresh: the library accepts the rotated response and its ID token', async () => {
    const first = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id });
    const response = await oauth.refreshTokenGrantRequest(
      fixture.as,
      fixture.spa.client,
      oauth.None(),
      String(first['refresh_token']),
      insecure,
    );
    const refreshed = await oauth.processRefreshTokenResponse(fixture.as, fixture.spa.client, response);
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, first['refresh_token']);
    assert.ok(oauth.getValidatedIdTokenClaims(refreshed)?.sub);
  });

  it('client_credentials, then introspection and revocation of that token', async () => {
    const service = { client_id: fixture.service.clientId };
    const granted = await oauth.processClientCredentialsResponse(
      fixture.as,
      service,
      await oauth.clientCredentialsGrantRequest(
        fixture.as,
        service,
        oauth.ClientSecretBasic(fixture.service.secret),
        { scope: 'orders:read', resource: API },
        insecure,
      ),
    );
    const { client, auth } = introspector();
    const active = await oauth.processIntrospectionResponse(
      fixture.as,
      client,
      await oauth.introspectionRequest(fixture.as, client, auth, granted.access_token, insecure),
    );
    assert.equal(active.active, true);
    assert.equal(active.sub, fixture.service.clientId);

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(fixture.as, service, oauth.ClientSecretBasic(fixture.service.secret), granted.access_token, insecure),
    );
    const after = await oauth.processIntrospectionResponse(
      fixture.as,
      client,
      await oauth.introspectionRequest(fixture.as, client, auth, granted.access_token, insecure),
    );
    assert.equal(after.active, false);
  });

  it('revoking a refresh token through the library ends the grant', async () => {
    const tokens = await tokensFor(server, fixture, { clientId: fixture.spa.client.client_id });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(fixture.as, fixture.spa.client, oauth.None(), String(tokens['refresh_token']), insecure),
    );
    const response = await oauth.refreshTokenGrantRequest(
      fixture.as,
      fixture.spa.client,
      oauth.None(),
      String(tokens['refresh_token']),
      insecure,
    );
    await assert.rejects(
      oauth.processRefreshTokenResponse(fixture.as, fixture.spa.client, response),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
    );
  });
});
