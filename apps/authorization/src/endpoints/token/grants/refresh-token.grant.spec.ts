import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent } from '@gatehouse/audit';
import type {
  Client,
  PresentedRefreshToken,
  RefreshTokenRedemption,
  Rotation,
  RotationOutcome,
  Tenant,
  User,
} from '@gatehouse/persistence';
import { Clock, asTenantId, InvalidAuthorizationDetails, InvalidGrant } from '@gatehouse/protocol';
import type { EndpointRateLimiter } from '../../../throttling/index.js';
import { RefreshTokenIssuer } from '../refresh-token-issuer.js';
import type { RevocationNotifier } from '../revocation-notifier.js';
import type { TokenMinter } from '../token-minter.js';
import type { GrantRequest } from './grant-handler.js';
import type { RefreshTokenStorage } from './grant-storage.js';
import { RefreshTokenGrant } from './refresh-token.grant.js';

const NOW = new Date('2026-12-05T12:00:00Z');
const tenant = { id: asTenantId('00000000-0000-4000-8000-000000000001'), slug: 'acme' } as Tenant;
const client = { clientId: 'web', tokenEndpointAuthMethod: 'none', rotateRefreshTokens: true } as Client;

function presented(usedAt: Date | null): PresentedRefreshToken {
  return {
    id: 'token-1',
    expiresAt: new Date(NOW.getTime() + 60_000),
    usedAt,
    createdAt: NOW,
    family: {
      id: 'family-1',
      clientId: 'web',
      userId: 'user-1',
      sessionId: null,
      scopes: ['orders:read'],
      resource: null,
      authTime: NOW,
      amr: ['pwd'],
      absoluteExpiresAt: new Date(NOW.getTime() + 3_600_000),
      revokedAt: null,
      dpopJkt: null,
      authorizationDetails: null,
    },
  };
}

/** The grant on a storage that records what it was asked: no database, the handler's decisions alone. */
function grantOn(redemption: RefreshTokenRedemption | null, answers: { rotation?: RotationOutcome; extended?: boolean } = {}) {
  const calls = {
    rotations: [] as Rotation[],
    extended: [] as (readonly AuditEvent[])[],
    revoked: [] as { familyId: string; reason: string; events: readonly AuditEvent[] }[],
  };
  const published: unknown[] = [];
  const storage: RefreshTokenStorage = {
    redeemable: () => Promise.resolve(redemption),
    rotate: (rotation) => {
      calls.rotations.push(rotation);
      return Promise.resolve(answers.rotation ?? 'rotated');
    },
    extend: (_tenantId, _tokenId, _expiresAt, events) => {
      calls.extended.push(events);
      return Promise.resolve(answers.extended ?? true);
    },
    revokeFamily: (_tenantId, familyId, reason, _now, events) => {
      calls.revoked.push({ familyId, reason, events });
      return Promise.resolve();
    },
    sessionActive: () => Promise.resolve(true),
  };
  const rateLimits = { enforce: () => Promise.resolve() } as unknown as EndpointRateLimiter;
  const notifier = { publish: (_tenantId: string, message: unknown) => Promise.resolve(void published.push(message)) };
  const grant = new RefreshTokenGrant(
    storage,
    rateLimits,
    new Clock(() => NOW),
    { accessToken: () => Promise.resolve({ accessToken: 'signed', tokenType: 'Bearer', expiresIn: 300 }) } as unknown as TokenMinter,
    new RefreshTokenIssuer(),
    notifier as unknown as RevocationNotifier,
  );
  return { grant, calls, published };
}

const request = (refreshToken: string, caller: Client = client): GrantRequest => ({
  tenant,
  issuer: 'https://id.example.test/t/acme',
  client: caller,
  form: { grant_type: 'refresh_token', refresh_token: refreshToken },
  context: { ip: '127.0.0.1', userAgent: undefined },
  dpop: null,
  certificateThumbprint: null,
});

describe('RefreshTokenGrant on its storage interface', () => {
  it('a rotated token presented again revokes its family, audits the reuse and tells resource servers', async () => {
    const { grant, calls, published } = grantOn({ token: presented(new Date(NOW.getTime() - 1_000)), user: null });
    await assert.rejects(grant.handle(request('stolen')), InvalidGrant);
    assert.equal(calls.rotations.length, 0, 'nothing rotates');
    assert.equal(calls.revoked.length, 1);
    assert.equal(calls.revoked[0]?.familyId, 'family-1');
    assert.equal(calls.revoked[0]?.reason, 'refresh_token_reuse');
    assert.deepEqual(
      calls.revoked[0]?.events.map((event) => [event.type, event.outcome, event.errorCode]),
      [['refresh.reuse_detected', 'failure', 'invalid_grant']],
    );
    assert.deepEqual(published, [{ grantId: 'family-1' }]);
  });

  it("another client's refresh token is refused and changes nothing", async () => {
    const { grant, calls, published } = grantOn({ token: presented(null), user: null });
    const other = { ...client, clientId: 'other' } as Client;
    await assert.rejects(grant.handle(request('borrowed', other)), InvalidGrant);
    assert.equal(calls.rotations.length + calls.revoked.length + published.length, 0);
  });

  it('an unknown token is refused before anything else', async () => {
    const { grant, calls } = grantOn(null);
    await assert.rejects(grant.handle(request('unknown')), InvalidGrant);
    assert.equal(calls.rotations.length + calls.revoked.length, 0);
  });

  const alice = { id: 'user-1', status: 'active' } as User;

  it('a grant revoked between the read and the rotation (a logout, an admin) hands out nothing and raises no reuse alarm', async () => {
    const { grant, calls, published } = grantOn({ token: presented(null), user: alice }, { rotation: 'grant-revoked' });
    await assert.rejects(grant.handle(request('read-before-the-logout')), (error: unknown) => {
      assert.ok(error instanceof InvalidGrant);
      assert.match(String(error.internalCause), /grant revoked/);
      return true;
    });
    assert.equal(calls.rotations.length, 1, 'the rotation was tried');
    assert.equal(calls.revoked.length + published.length, 0, 'not treated as a reused token');
  });

  it('a non-rotating client: a grant revoked before the expiry moves hands out nothing', async () => {
    const keeps = { ...client, tokenEndpointAuthMethod: 'client_secret_basic', rotateRefreshTokens: false } as Client;
    const { grant, calls } = grantOn({ token: presented(null), user: alice }, { extended: false });
    await assert.rejects(grant.handle(request('read-before-the-logout', keeps)), InvalidGrant);
    assert.equal(calls.extended.length, 1);
    assert.equal(calls.rotations.length + calls.revoked.length, 0);
  });

  it('the same two paths answer with tokens while the grant stands', async () => {
    const rotated = await grantOn({ token: presented(null), user: alice }).grant.handle(request('fresh'));
    assert.equal(rotated.access_token, 'signed');
    assert.ok(rotated.refresh_token, 'a successor');
    const kept = await grantOn({ token: presented(null), user: alice }).grant.handle(
      request('fresh', { ...client, tokenEndpointAuthMethod: 'client_secret_basic', rotateRefreshTokens: false }),
    );
    assert.equal(kept.access_token, 'signed');
    assert.equal(kept.refresh_token, undefined);
  });

  it('authorization_details on a refresh of a grant that has none is invalid_authorization_details, and nothing rotates', async () => {
    const { grant, calls } = grantOn({ token: presented(null), user: alice });
    const asking = request('fresh');
    const withDetails = { ...asking, form: { ...asking.form, authorization_details: '[{"type":"payment_initiation"}]' } };
    await assert.rejects(grant.handle(withDetails), (error: unknown) => {
      assert.ok(error instanceof InvalidAuthorizationDetails);
      assert.equal(error.hint, 'the grant has no authorization details');
      return true;
    });
    assert.equal(calls.rotations.length + calls.extended.length + calls.revoked.length, 0);
  });
});
