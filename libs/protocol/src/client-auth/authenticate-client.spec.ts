import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticateClient } from './authenticate-client.js';
import { clientFixture, contextFixture, hash, rejectsInvalidClient } from './client-auth.fixtures.js';

describe('client secrets', () => {
  it('accept the current secret, by Basic or in the body as registered', async () => {
    await authenticateClient(
      { method: 'client_secret_basic', clientId: 'web-app', clientSecret: 'current' },
      clientFixture(),
      contextFixture(),
    );
    const postClient = clientFixture({ tokenEndpointAuthMethod: 'client_secret_post' });
    await authenticateClient({ method: 'client_secret_post', clientId: 'web-app', clientSecret: 'current' }, postClient, contextFixture());
  });
  it('refuse a wrong secret, with a Basic challenge after a Basic attempt', async () => {
    const error = await rejectsInvalidClient(
      authenticateClient({ method: 'client_secret_basic', clientId: 'web-app', clientSecret: 'wrong' }, clientFixture(), contextFixture()),
      true,
    );
    assert.match(String(error.internalCause), /secret does not match/);
    const postClient = clientFixture({ tokenEndpointAuthMethod: 'client_secret_post' });
    await rejectsInvalidClient(
      authenticateClient({ method: 'client_secret_post', clientId: 'web-app', clientSecret: 'wrong' }, postClient, contextFixture()),
    );
  });
  it('accept the previous secret during the rotation grace period, checking every hash', async () => {
    const checked: string[] = [];
    const base = contextFixture();
    const context = contextFixture({ verifySecret: (secret, stored) => (checked.push(stored), base.verifySecret(secret, stored)) });
    const client = clientFixture({ secretHashes: [hash('current'), hash('previous')] });
    await authenticateClient({ method: 'client_secret_basic', clientId: 'web-app', clientSecret: 'previous' }, client, context);
    checked.length = 0;
    await authenticateClient({ method: 'client_secret_basic', clientId: 'web-app', clientSecret: 'current' }, client, context);
    assert.deepEqual(checked, [hash('current'), hash('previous')], 'no early exit on the first match');
  });
  it('refuse every secret when no hash is stored', async () => {
    const client = clientFixture({ secretHashes: [] });
    await rejectsInvalidClient(
      authenticateClient({ method: 'client_secret_basic', clientId: 'web-app', clientSecret: 'current' }, client, contextFixture()),
      true,
    );
  });
});

describe('method binding (OAuth 2.1 §2.4)', () => {
  it('refuses a method other than the registered one', async () => {
    await rejectsInvalidClient(authenticateClient({ method: 'none', clientId: 'web-app' }, clientFixture(), contextFixture()));
    await rejectsInvalidClient(
      authenticateClient({ method: 'client_secret_post', clientId: 'web-app', clientSecret: 'current' }, clientFixture(), contextFixture()),
    );
    const postClient = clientFixture({ tokenEndpointAuthMethod: 'client_secret_post' });
    await rejectsInvalidClient(
      authenticateClient({ method: 'client_secret_basic', clientId: 'web-app', clientSecret: 'current' }, postClient, contextFixture()),
      true,
    );
  });
  it('accepts a public client presenting only its id', async () => {
    const publicClient = clientFixture({ tokenEndpointAuthMethod: 'none', secretHashes: [] });
    await authenticateClient({ method: 'none', clientId: 'web-app' }, publicClient, contextFixture());
  });
  it('refuses credentials for another client than the one looked up', async () => {
    const publicClient = clientFixture({ tokenEndpointAuthMethod: 'none' });
    await rejectsInvalidClient(authenticateClient({ method: 'none', clientId: 'other' }, publicClient, contextFixture()));
  });
});
