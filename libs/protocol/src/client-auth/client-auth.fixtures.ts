// Test-only factories for the client-auth specs; not exported from the lib.
import assert from 'node:assert/strict';
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidClient } from '../errors/rfc6749.errors.js';
import { InMemoryAssertionReplayStore } from './assertion-replay.store.js';
import type { AuthenticatableClient, ClientAuthContext } from './client-auth.types.js';

export const NOW = new Date('2030-01-01T00:00:00Z');
export const ISSUER = 'https://id.example.com/t/acme';
export const TOKEN_ENDPOINT = `${ISSUER}/token`;

export const hash = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

export function clientFixture(overrides: Partial<AuthenticatableClient> = {}): AuthenticatableClient {
  return { clientId: 'web-app', tokenEndpointAuthMethod: 'client_secret_basic', secretHashes: [hash('current')], jwks: null, ...overrides };
}

export function contextFixture(overrides: Partial<ClientAuthContext> = {}): ClientAuthContext {
  const now = (): Date => NOW;
  return {
    issuer: ISSUER,
    tokenEndpoint: TOKEN_ENDPOINT,
    acceptTokenEndpointAudience: false,
    now,
    verifySecret: (secret, stored) => {
      const actual = Buffer.from(hash(secret));
      const expected = Buffer.from(stored);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
    replay: new InMemoryAssertionReplayStore(now),
    ...overrides,
  };
}

/** Asserts the promise rejects with invalid_client (401), with a Basic challenge exactly when expected. */
export async function rejectsInvalidClient(promise: Promise<unknown>, basic = false): Promise<InvalidClient> {
  let caught: unknown;
  await assert.rejects(promise, (error) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof InvalidClient, String(caught));
  assert.equal(caught.status, 401);
  assert.equal(caught.wwwAuthenticate, basic ? 'Basic realm="gatehouse"' : undefined);
  assert.equal(typeof caught.internalCause, 'string');
  return caught;
}
