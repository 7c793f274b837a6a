import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GENESIS_HASH } from '@gatehouse/audit';
import { DEFAULT_REGISTRATION_POLICY, type TenantId } from '@gatehouse/protocol';
import { Persistence, type Client, type Database, type Repositories, type Tenant } from '@gatehouse/persistence';
import { isForeignKeyViolation, isolatedTargets, uniqueSlug } from '../../../test/support/index.js';

// Every method of a repository, asked from tenant B about tenant A's data (Hydra's persister_nid_test
// is the model): each finds, counts and changes nothing of A. The table is typed (a Record over each
// repository's public methods) so that a method added to one of them does not compile until it has its probe.

/** Tenant A's rows the probes aim at, by the identifiers a caller of tenant B could know or guess. */
interface Seeded {
  readonly tenant: Tenant;
  readonly userId: string;
  readonly username: string;
  readonly client: Client;
  readonly apiId: string;
  readonly apiIdentifier: string;
  readonly registrationTokenId: string;
  readonly registrationTokenHash: string;
  readonly sessionId: string;
  readonly sessionTokenHash: string;
  readonly passkeyId: string;
  readonly credentialId: string;
  readonly challengeHash: string;
  readonly revokedJti: string;
  readonly familyId: string;
  readonly refreshTokenHash: string;
  readonly refreshTokenId: string;
  readonly requestUriHash: string;
  readonly codeId: string;
  readonly codeHash: string;
  readonly deviceId: string;
  readonly deviceCodeHash: string;
  readonly userCodeHash: string;
  readonly interactionId: string;
  readonly interactionHandleHash: string;
  readonly sinkId: string;
  /** A second user of A, whose TOTP factor is still pending confirmation. */
  readonly pendingUserId: string;
  readonly kid: string;
  readonly recordId: string;
  readonly outboxEventId: string;
}

/** Tenant B's call; it answers what the repository answered (checked to be nothing), or undefined after its own checks. */
type Probe = (repos: Repositories, b: TenantId, a: Seeded) => Promise<unknown>;
type MethodOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] & string;
type ProbesOf<R extends keyof Repositories> = Record<MethodOf<Repositories[R]>, Probe>;

const NOW = new Date();
const LATER = new Date(NOW.getTime() + 3_600_000);

const users: ProbesOf<'users'> = {
  findByUsername: (r, b, a) => r.users.findByUsername(b, a.username),
  findPasswordHash: (r, b, a) => r.users.findPasswordHash(b, a.username),
  findLoginCandidate: (r, b, a) => r.users.findLoginCandidate(b, a.username),
  recordFailedLogin: (r, b, a) =>
    r.users.recordFailedLogin(b, a.username, NOW, { threshold: 1, lockoutSeconds: 600, hardLockThreshold: 1 }),
  recordSuccessfulLogin: (r, b, a) => r.users.recordSuccessfulLogin(b, a.userId, NOW),
  unlock: (r, b, a) => r.users.unlock(b, a.userId),
  erase: (r, b, a) => r.users.erase(b, a.userId),
  setPassword: (r, b, a) => r.users.setPassword(b, a.userId, '$argon2id$taken-over'),
  updateIfUnchanged: async (r, b, a) => {
    const mine = await r.users.findById(a.tenant.id, a.userId);
    const result = await r.users.updateIfUnchanged(b, a.userId, mine?.updatedAt ?? NOW, { status: 'disabled', email: 'x@evil.example' });
    assert.ok(!('updated' in result), JSON.stringify(result));
    return undefined;
  },
  findById: (r, b, a) => r.users.findById(b, a.userId),
  findManyByIds: async (r, b, a) => (await r.users.findManyByIds([{ tenantId: b, userId: a.userId }])).filter((user) => user !== null),
  listPage: (r, b) => r.users.listPage(b, null, 100),
  countByTenant: (r, b) => r.users.countByTenant(b),
  insert: async (r, b, a) => {
    const sameName = await r.users.insert(b, { username: a.username, email: `${a.username}@example.com`, passwordHash: null });
    assert.ok('created' in sameName, 'the same username and email are free in another tenant');
    return undefined;
  },
};

const clients: ProbesOf<'clients'> = {
  findByClientId: (r, b, a) => r.clients.findByClientId(b, a.client.clientId),
  listByTenant: (r, b) => r.clients.listByTenant(b),
  listPage: (r, b) => r.clients.listPage(b, null, 100),
  setRegistrationAccessTokenHash: async (r, b, a) => {
    await r.clients.setRegistrationAccessTokenHash(b, a.client.clientId, 'r'.repeat(43));
    return r.clients.findByRegistrationAccessToken(a.tenant.id, a.client.clientId, 'r'.repeat(43));
  },
  findByRegistrationAccessToken: (r, b, a) => r.clients.findByRegistrationAccessToken(b, a.client.clientId, 'a'.repeat(43)),
  updateMetadata: (r, b, a) =>
    r.clients.updateMetadata(b, a.client.clientId, { name: 'Taken over', redirectUris: ['https://evil.example/cb'] }),
  updateIfUnchanged: (r, b, a) => r.clients.updateIfUnchanged(b, a.client.clientId, a.client.updatedAt, { name: 'Taken over' }),
  rotateSecret: (r, b, a) =>
    r.clients.rotateSecret(b, a.client.clientId, {
      expectedSecretHash: a.client.secretHash ?? '',
      newSecretHash: 'e'.repeat(43),
      previousSecretExpiresAt: NOW,
    }),
  findSecrets: (r, b, a) => r.clients.findSecrets(b, a.client.clientId),
  delete: (r, b, a) => r.clients.delete(b, a.client.clientId),
  insert: async (r, b, a) => {
    const same = await r.clients.insert(b, { ...newClient(`${a.client.clientId}-b`) });
    assert.equal(same.tenantId, b);
    return undefined;
  },
};

const apis: ProbesOf<'apis'> = {
  // Before B registers the same identifier (insert, next): B finds none.
  findByIdentifier: (r, b, a) => r.apis.findByIdentifier(b, a.apiIdentifier),
  insert: async (r, b, a) => {
    assert.ok(await r.apis.insert(b, { identifier: a.apiIdentifier, name: 'Same in B', scopes: ['b:read'] }), 'identifiers are per tenant');
    return undefined;
  },
  findById: (r, b, a) => r.apis.findById(b, a.apiId),
  listByTenant: async (r, b, a) => ((await r.apis.listByTenant(b)).some((api) => api.id === a.apiId) ? ['A leaked'] : []),
  listPage: async (r, b, a) => ((await r.apis.listPage(b, null, 100)).some((api) => api.id === a.apiId) ? ['A leaked'] : []),
  updateIfUnchanged: async (r, b, a) => {
    const mine = await r.apis.findById(a.tenant.id, a.apiId);
    assert.ok(mine);
    return r.apis.updateIfUnchanged(b, mine, { name: 'Taken over', scopes: ['evil'] });
  },
  delete: (r, b, a) => r.apis.delete(b, a.apiId),
};

const registrationTokens: ProbesOf<'registrationTokens'> = {
  insert: async (r, b) => {
    const own = await r.registrationTokens.insert(b, 't'.repeat(43), LATER, DEFAULT_REGISTRATION_POLICY);
    assert.equal(await r.registrationTokens.revoke(b, own.id, NOW).then((token) => token?.id), own.id);
    return undefined;
  },
  listByTenant: async (r, b, a) =>
    (await r.registrationTokens.listByTenant(b)).some((t) => t.id === a.registrationTokenId) ? ['A leaked'] : [],
  listPage: async (r, b, a) =>
    (await r.registrationTokens.listPage(b, null, 100, { now: NOW })).some((t) => t.id === a.registrationTokenId) ? ['A leaked'] : [],
  findUsable: (r, b, a) => r.registrationTokens.findUsable(b, a.registrationTokenHash, NOW),
  revoke: (r, b, a) => r.registrationTokens.revoke(b, a.registrationTokenId, NOW),
};

const consents: ProbesOf<'consents'> = {
  findScopes: (r, b, a) => r.consents.findScopes(b, a.userId, a.client.clientId),
  findGrants: (r, b, a) => r.consents.findGrants(b, a.userId, a.client.clientId),
  grant: async (r, b, a) => {
    // Named with A's user, a grant filed under B is refused by the schema ((tenant_id, user_id) → users);
    // A's consent is untouched (checked at the end).
    await assert.rejects(r.consents.grant(b, a.userId, a.client.clientId, ['evil'], NOW), isForeignKeyViolation);
    return undefined;
  },
  listForUser: (r, b, a) => r.consents.listForUser(b, a.userId, null, 100),
  revoke: (r, b, a) => r.consents.revoke(b, a.userId, a.client.clientId),
  revokeForResource: (r, b, a) => r.consents.revokeForResource(b, a.apiIdentifier),
};

const sessions: ProbesOf<'sessions'> = {
  insert: async (r, b, a) => {
    // As with consents: a session filed under B naming A's user is refused by the schema.
    await assert.rejects(
      r.sessions.insert(b, { userId: a.userId, tokenHash: 's'.repeat(43), authTime: NOW, amr: ['pwd'], expiresAt: LATER }),
      isForeignKeyViolation,
    );
    return undefined;
  },
  findActive: (r, b, a) => r.sessions.findActive(b, a.sessionTokenHash, NOW),
  findActiveMany: async (r, b, a) => (await r.sessions.findActiveMany([{ tenantId: b, tokenHash: a.sessionTokenHash, now: NOW }]))[0],
  findActiveById: (r, b, a) => r.sessions.findActiveById(b, a.sessionId, NOW),
  end: (r, b, a) => r.sessions.end(b, a.sessionId, NOW),
  endAllForUser: (r, b, a) => r.sessions.endAllForUser(b, a.userId, NOW),
  listActiveForUser: (r, b, a) => r.sessions.listActiveForUser(b, a.userId, NOW, null, 100),
  clientIdsOfSession: (r, b, a) => r.sessions.clientIdsOfSession(b, a.sessionId),
};

const secondFactors: ProbesOf<'secondFactors'> = {
  findTotp: (r, b, a) => r.secondFactors.findTotp(b, a.userId),
  hasConfirmedFactor: (r, b, a) => r.secondFactors.hasConfirmedFactor(b, a.userId),
  savePendingTotp: async (r, b, a) => {
    // B's own pending factor row if the schema lets it name A's user; A's confirmed factor is untouched (checked at the end).
    await r.secondFactors.savePendingTotp(b, a.userId, 'v1.evil.evil.evil').catch(() => undefined);
    await r.secondFactors.resetFactors(b, a.userId);
    return undefined;
  },
  confirmTotp: (r, b, a) => r.secondFactors.confirmTotp(b, a.pendingUserId, 1, NOW),
  useTotpStep: (r, b, a) => r.secondFactors.useTotpStep(b, a.userId, 2),
  replaceRecoveryCodes: async (r, b, a) => {
    await r.secondFactors.replaceRecoveryCodes(b, a.userId, ['c'.repeat(43)]).catch(() => undefined);
    await r.secondFactors.resetFactors(b, a.userId);
    return undefined;
  },
  useRecoveryCode: (r, b, a) => r.secondFactors.useRecoveryCode(b, a.userId, RECOVERY_CODE_HASH, NOW),
  countUnusedRecoveryCodes: (r, b, a) => r.secondFactors.countUnusedRecoveryCodes(b, a.userId),
  resetFactors: (r, b, a) => r.secondFactors.resetFactors(b, a.userId),
};

const passkeys: ProbesOf<'passkeys'> = {
  insert: async (r, b, a) => {
    // A credential id is unique per tenant: B may register the same one for its own user (rejected here only by the user FK, if any).
    const own = await r.passkeys.insert(b, { ...PASSKEY, userId: a.userId, credentialId: a.credentialId }).catch(() => null);
    if (own) await r.passkeys.remove(b, a.userId, own.id);
    return undefined;
  },
  findByCredentialId: (r, b, a) => r.passkeys.findByCredentialId(b, a.credentialId),
  listForUser: (r, b, a) => r.passkeys.listForUser(b, a.userId),
  countForUser: (r, b, a) => r.passkeys.countForUser(b, a.userId),
  recordUse: (r, b, a) => r.passkeys.recordUse(b, a.passkeyId, 99, NOW),
  remove: (r, b, a) => r.passkeys.remove(b, a.userId, a.passkeyId),
  removeAll: (r, b, a) => r.passkeys.removeAll(b, a.userId),
  saveChallenge: async (r, b, a) => {
    await r.passkeys
      .saveChallenge(b, { challengeHash: 'x'.repeat(43), purpose: 'authenticate', binding: 'b', userId: a.userId, expiresAt: LATER }, NOW)
      .catch(() => undefined);
    return undefined;
  },
  consumeChallenge: (r, b, a) =>
    r.passkeys.consumeChallenge(b, { challengeHash: a.challengeHash, purpose: 'authenticate', binding: 'a' }, NOW),
};

const revokedTokens: ProbesOf<'revokedTokens'> = {
  revoke: async (r, b, a) => {
    await r.revokedTokens.revoke(b, ['jti-of-b'], LATER);
    assert.equal(await r.revokedTokens.isRevoked(b, 'jti-of-b'), true);
    assert.equal(await r.revokedTokens.isRevoked(a.tenant.id, 'jti-of-b'), false, "B's revocation is not A's");
    return undefined;
  },
  isRevoked: (r, b, a) => r.revokedTokens.isRevoked(b, a.revokedJti),
};

const refreshTokens: ProbesOf<'refreshTokens'> = {
  createFamily: async (r, b, a) => {
    // B's own family, even when it names A's user and client (no composite foreign key refuses it: migration
    // 1764990000000 says why); revoked at once.
    const own = await r.refreshTokens.createFamily(b, family(a.userId, a.client.clientId, null));
    assert.notEqual(own, a.familyId);
    assert.equal(await r.refreshTokens.revokeFamily(b, own, 'probe', NOW), true);
    return undefined;
  },

  insertToken: async (r, b, a) => {
    // Into A's family from B: refused (the family is not B's), or B's own row; A's family is checked at the end.
    await r.refreshTokens.insertToken(b, a.familyId, 'i'.repeat(43), LATER).catch(() => undefined);
    return r.refreshTokens.findByHash(a.tenant.id, 'i'.repeat(43));
  },
  findByHash: (r, b, a) => r.refreshTokens.findByHash(b, a.refreshTokenHash),
  findFamily: (r, b, a) => r.refreshTokens.findFamily(b, a.familyId),
  redeemable: async (r, b, a) => (await r.refreshTokens.redeemable([{ tenantId: b, tokenHash: a.refreshTokenHash }]))[0],
  rotateMany: async (r, b, a) => {
    const successor = { familyId: a.familyId, tokenHash: 'n'.repeat(43), expiresAt: LATER };
    const [outcome] = await r.refreshTokens.rotateMany([{ tenantId: b, tokenId: a.refreshTokenId, now: NOW, successor, events: [] }]);
    return outcome === 'rotated';
  },
  extend: (r, b, a) => r.refreshTokens.extend(b, a.refreshTokenId, new Date(LATER.getTime() + 86_400_000)),
  revokeFamily: (r, b, a) => r.refreshTokens.revokeFamily(b, a.familyId, 'probe', NOW),
  revokeAllForUser: (r, b, a) => r.refreshTokens.revokeAllForUser(b, a.userId, 'probe', NOW),
  revokeAllForUserAndClient: (r, b, a) => r.refreshTokens.revokeAllForUserAndClient(b, a.userId, a.client.clientId, 'probe', NOW),
  revokeSessionBound: (r, b, a) => r.refreshTokens.revokeSessionBound(b, a.sessionId, a.client.clientId, NOW),
  revokeAllForSession: (r, b, a) => r.refreshTokens.revokeAllForSession(b, a.sessionId, 'probe', NOW),
};

const pushedRequests: ProbesOf<'pushedRequests'> = {
  insert: async (r, b, a) => {
    await r.pushedRequests.insert(
      b,
      { requestUriHash: 'p'.repeat(43), clientId: a.client.clientId, params: {}, signed: false, expiresAt: LATER },
      NOW,
    );
    return undefined;
  },
  consume: (r, b, a) => r.pushedRequests.consume(b, a.requestUriHash, a.client.clientId, NOW),
};

const codes: ProbesOf<'codes'> = {
  insert: async (r, b, a) => {
    await r.codes.insert(b, { ...code(a.userId, a.client.clientId), codeHash: 'O'.repeat(43) }, []);
    return undefined;
  },
  consume: async (r, b, a) => {
    const result = await r.codes.consume(b, a.codeHash, NOW);
    return result.outcome === 'unknown' ? null : result;
  },
  insertMany: async (r, b, a) => {
    await r.codes.insertMany([{ tenantId: b, code: { ...code(a.userId, a.client.clientId), codeHash: 'Q'.repeat(43) }, events: [] }]);
    return undefined;
  },
  findPresented: async (r, b, a) => (await r.codes.findPresented([{ tenantId: b, codeHash: a.codeHash }]))[0],
  redeemMany: async (r, b, a) => {
    const [redeemed] = await r.codes.redeemMany([
      { tenantId: b, codeId: a.codeId, now: NOW, jtis: ['jti-from-b'], grant: null, events: [] },
    ]);
    return redeemed;
  },
  markReplayed: (r, b, a) => r.codes.markReplayed(b, a.codeId, NOW),
};

const deviceAuthorizations: ProbesOf<'deviceAuthorizations'> = {
  insert: async (r, b, a) => {
    await r.deviceAuthorizations.insert(
      b,
      { ...device(a.client.clientId), deviceCodeHash: 'B'.repeat(43), userCodeHash: 'C'.repeat(43) },
      NOW,
    );
    return undefined;
  },
  findPendingByUserCode: (r, b, a) => r.deviceAuthorizations.findPendingByUserCode(b, a.userCodeHash, NOW),
  decide: (r, b, a) =>
    r.deviceAuthorizations.decide(b, a.deviceId, { approved: true, userId: a.userId, sessionId: null, authTime: NOW, amr: ['pwd'] }, NOW),
  poll: async (r, b, a) => {
    const result = await r.deviceAuthorizations.poll(b, a.deviceCodeHash, a.client.clientId, NOW);
    return result.outcome === 'unknown' ? null : result;
  },
};

const interactions: ProbesOf<'interactions'> = {
  insert: async (r, b, a) => {
    await r.interactions.insert(b, { ...interaction(a.client.clientId), handleHash: 'H'.repeat(43) });
    return undefined;
  },
  findByHandle: (r, b, a) => r.interactions.findByHandle(b, a.interactionHandleHash),
  advance: (r, b, a) => r.interactions.advance(b, a.interactionId, 'login', 'consent', { userId: a.userId }),
};

const tokenStanding: ProbesOf<'tokenStanding'> = {
  // A's grant, session and user, presented with B's tenant: nothing of A stands for B.
  check: async (r, b, a) =>
    (
      await r.tokenStanding.check(
        b,
        { jti: 'j', clientId: a.client.clientId, userId: a.userId, grantId: a.familyId, sessionId: a.sessionId },
        NOW,
      )
    ).standing,
  checkMany: async (r, b, a) =>
    (
      await r.tokenStanding.checkMany([
        {
          tenantId: b,
          binding: { jti: 'j', clientId: a.client.clientId, userId: a.userId, grantId: null, sessionId: a.sessionId },
          now: NOW,
        },
        {
          tenantId: b,
          binding: { jti: 'j', clientId: a.client.clientId, userId: a.userId, grantId: a.familyId, sessionId: null },
          now: NOW,
        },
      ])
    ).filter((standing) => standing.standing),
};

/**
 * The worker's own operations: by row id on what it claimed itself, or across every tenant on purpose
 * (an operator's health view). No request path reaches them with a tenant, so they have no probe.
 */
const NOT_TENANT_SCOPED: Probe = () => Promise.resolve(undefined);

const siemSinks: ProbesOf<'siemSinks'> = {
  insert: async (r, b) => {
    const own = await r.siemSinks.insert(b, { ...SINK, id: randomUUID() });
    assert.equal(await r.siemSinks.delete(b, own.id), true);
    return undefined;
  },
  list: (r, b) => r.siemSinks.list(b),
  listPage: (r, b) => r.siemSinks.listPage(b, null, 100),
  listAll: NOT_TENANT_SCOPED,
  find: (r, b, a) => r.siemSinks.find(b, a.sinkId),
  delete: (r, b, a) => r.siemSinks.delete(b, a.sinkId),
  setEnabled: (r, b, a) => r.siemSinks.setEnabled(b, a.sinkId, false),
  claimDue: NOT_TENANT_SCOPED,
  markDelivered: NOT_TENANT_SCOPED,
  release: NOT_TENANT_SCOPED,
  markFailed: NOT_TENANT_SCOPED,
  deadLetter: NOT_TENANT_SCOPED,
};

const siemDeadLetters: ProbesOf<'siemDeadLetters'> = {
  listPending: (r, b, a) => r.siemDeadLetters.listPending(b, a.sinkId, null, 100),
  requestReplay: (r, b, a) => r.siemDeadLetters.requestReplay(b, a.sinkId, NOW),
  countPending: (r, b) => r.siemDeadLetters.countPending(b),
  replayBatch: NOT_TENANT_SCOPED,
  markDelivered: NOT_TENANT_SCOPED,
  markReplayFailed: NOT_TENANT_SCOPED,
};

const backchannelLogoutJobs: ProbesOf<'backchannelLogoutJobs'> = {
  enqueueForSession: (r, b, a) => r.backchannelLogoutJobs.enqueueForSession(b, a.sessionId, a.userId),
  listByTenant: (r, b) => r.backchannelLogoutJobs.listByTenant(b),
  claimDue: NOT_TENANT_SCOPED,
  markDelivered: NOT_TENANT_SCOPED,
  markRetry: NOT_TENANT_SCOPED,
  markFailed: NOT_TENANT_SCOPED,
};

const signingKeys: ProbesOf<'signingKeys'> = {
  insert: async (r, b) => {
    await r.signingKeys.insert(b, { ...KEY, kid: `kid-of-b-${randomUUID()}`, alg: 'ES256' });
    return undefined;
  },
  findPublished: async (r, b, a) => (await r.signingKeys.findPublished(b, NOW)).filter((key) => key.kid === a.kid),
  listPublished: async (r, b, a) => (await r.signingKeys.listPublished(b, NOW)).filter((key) => key.kid === a.kid),
  findSigningGaps: NOT_TENANT_SCOPED,
  // A has a PS256 key, B none: superseding B's PS256 keys touches nothing.
  supersede: (r, b) => r.signingKeys.supersede(b, 'PS256', NOW, LATER),
};

const auditRecords: ProbesOf<'auditRecords'> = {
  // First, while B has no chain of its own: its head and anchor are none, not A's.
  head: (r, b) => r.auditRecords.head(b),
  anchor: (r, b) => r.auditRecords.anchor(b),
  sequenceBefore: async (r, b) => {
    const sequence = await r.auditRecords.sequenceBefore(b, new Date(0));
    return sequence === Number.MAX_SAFE_INTEGER ? null : `leaked ${sequence}`;
  },
  lockChainHead: async (r, b) => {
    assert.equal((await r.auditRecords.lockChainHead(b, GENESIS_HASH)).sequence, 0, "B's chain starts empty");
    return undefined;
  },
  advanceChainHead: async (r, b) => {
    await r.auditRecords.advanceChainHead(b, { sequence: 1, hash: 'b'.repeat(64) });
    return undefined;
  },
  existingIds: NOT_TENANT_SCOPED,
  insertMany: NOT_TENANT_SCOPED,
  list: (r, b) => r.auditRecords.list(b, {}, null, 100),
  after: (r, b) => r.auditRecords.after(b, 0, 100),
  byIds: (r, b, a) => r.auditRecords.byIds(b, [a.recordId]),
  loginHistory: (r, b, a) =>
    r.auditRecords.loginHistory(b, { userIds: [a.userId], usernames: [a.username] }, ['198.51.100.1'], new Date(0)),
  // A's login record is sequence 1 of A's chain; B's range over the same sequences holds nothing.
  loginRecordsBetween: (r, b) => r.auditRecords.loginRecordsBetween(b, 0, 1_000),
  retentionPolicies: NOT_TENANT_SCOPED,
  deleteOlderThan: (r, b) => r.auditRecords.deleteOlderThan(b, LATER),
};

const auditOutbox: ProbesOf<'auditOutbox'> = {
  append: async (r, b) => {
    await r.auditOutbox.append(b, [{ type: 'login.failed', outcome: 'failure', occurredAt: NOW }]);
    return undefined;
  },
  listByTenant: async (r, b, a) => (await r.auditOutbox.listByTenant(b, 1000)).filter((event) => event.id === a.outboxEventId),
  // The relay's and the worker's: rows are claimed and marked across tenants by id, by design.
  appendRows: NOT_TENANT_SCOPED,
  claimUndispatched: NOT_TENANT_SCOPED,
  claimUnrecorded: NOT_TENANT_SCOPED,
  claimUnrecordedById: NOT_TENANT_SCOPED,
  claimStale: NOT_TENANT_SCOPED,
  markRedispatched: NOT_TENANT_SCOPED,
  markDispatched: NOT_TENANT_SCOPED,
  removeRecorded: NOT_TENANT_SCOPED,
  countPending: NOT_TENANT_SCOPED,
  pruneRecorded: NOT_TENANT_SCOPED,
};

/** Operator metrics across every tenant (outbox backlog, key ages), by design. */
const operationalReadings: ProbesOf<'operationalReadings'> = {
  outboxBacklog: NOT_TENANT_SCOPED,
  activeSigningKeys: NOT_TENANT_SCOPED,
};

/** The registry of tenants itself: platform-level, keyed by the tenant's own id or slug, reached by platform admins only. */
const tenants: ProbesOf<'tenants'> = {
  findBySlug: NOT_TENANT_SCOPED,
  findById: NOT_TENANT_SCOPED,
  listPage: NOT_TENANT_SCOPED,
  updateIfUnchanged: NOT_TENANT_SCOPED,
  remove: NOT_TENANT_SCOPED,
  list: NOT_TENANT_SCOPED,
  insert: NOT_TENANT_SCOPED,
};

const PROBED = {
  users,
  clients,
  apis,
  registrationTokens,
  consents,
  sessions,
  secondFactors,
  passkeys,
  revokedTokens,
  refreshTokens,
  pushedRequests,
  codes,
  deviceAuthorizations,
  interactions,
  tokenStanding,
  siemSinks,
  siemDeadLetters,
  backchannelLogoutJobs,
  signingKeys,
  auditRecords,
  auditOutbox,
  operationalReadings,
  tenants,
} satisfies Partial<{
  [R in keyof Repositories]: ProbesOf<R>;
}>;

const RECOVERY_CODE_HASH = 'k'.repeat(43);
const PASSKEY = {
  publicKey: 'pk',
  counter: 1,
  transports: ['internal'],
  deviceType: 'multiDevice' as const,
  backedUp: true,
  name: 'Laptop',
};

const SINK = {
  name: 'A sink',
  type: 'webhook' as const,
  url: 'https://siem.example/hook',
  format: 'json' as const,
  credentials: null,
  ackEnabled: false,
  maxAttempts: 8,
};
const KEY = { publicJwk: { kty: 'EC' }, privateKeyCiphertext: 'v1.x.y.z', activatesAt: new Date(NOW.getTime() - 1000) };

function code(userId: string, clientId: string) {
  return {
    clientId,
    userId,
    sessionId: null,
    redirectUri: 'https://app.example.com/cb',
    scopes: ['openid'],
    resource: null,
    nonce: null,
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    authTime: NOW,
    amr: ['pwd'],
    expiresAt: LATER,
  };
}

function device(clientId: string) {
  return { clientId, scopes: ['openid'], resource: null, intervalSeconds: 5, expiresAt: LATER };
}

function interaction(clientId: string) {
  return {
    browserHash: 'w'.repeat(43),
    csrfHash: 'v'.repeat(43),
    clientId,
    request: { scope: 'openid' },
    state: 'login' as const,
    expiresAt: LATER,
  };
}

function family(userId: string, clientId: string, sessionId: string | null) {
  return { clientId, userId, sessionId, scopes: ['openid'], resource: null, authTime: NOW, amr: ['pwd'], absoluteExpiresAt: LATER };
}

function newClient(clientId: string) {
  return {
    clientId,
    name: 'Isolated',
    applicationType: 'web' as const,
    tokenEndpointAuthMethod: 'client_secret_basic' as const,
    secretHash: 'h'.repeat(43),
    redirectUris: ['https://app.example.com/cb'],
    grantTypes: ['authorization_code' as const],
    scopes: ['openid'],
    jwks: null,
    firstParty: false,
  };
}

/** Nothing: null, undefined, false, 0, or an empty list, set, map or record of nothing. */
function isNothing(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Set || value instanceof Map) return value.size === 0;
  if (typeof value === 'object') return Object.values(value).every(isNothing);
  return false;
}

// A database of the suite's own: it checks every row of tenant A stays as it was, and a back-channel
// dispatcher of another suite's server, sharing the run's database, would rightly work A's due job.
for (const target of isolatedTargets()) {
  describe(`tenant isolation, method by method, on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let closeDatabase: (() => Promise<void>) | undefined;
    let persistence: Persistence;
    let seeded: Seeded;
    let tenantB: Tenant;

    /** Every row of tenant A in every table with a tenant_id, as text: what no probe may change. */
    async function rowsOfA(): Promise<string[]> {
      const tables = await database.dataSource.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' AND table_schema = current_schema() ORDER BY table_name`,
      );
      const rows: string[] = [];
      for (const { table_name: table } of tables) {
        const found = await database.dataSource.query<Record<string, unknown>[]>(`SELECT * FROM "${table}" WHERE tenant_id = $1`, [
          seeded.tenant.id,
        ]);
        rows.push(...found.map((row) => `${table} ${JSON.stringify(row)}`).sort());
      }
      return rows;
    }

    before(async () => {
      ({ database, close: closeDatabase } = await target.open());
      persistence = new Persistence(database);
      const repos = persistence.repositories;
      const [a, b] = await Promise.all([
        repos.tenants.insert({ slug: uniqueSlug('iso-a'), name: 'A' }),
        repos.tenants.insert({ slug: uniqueSlug('iso-b'), name: 'B' }),
      ]);
      assert.ok(a && b);
      tenantB = b;
      const user = await repos.users.insert(a.id, { username: 'alice', email: 'alice@example.com', passwordHash: '$argon2id$a' });
      assert.ok('created' in user);
      const client = await repos.clients.insert(a.id, {
        ...newClient(uniqueSlug('iso-client')),
        backchannelLogoutUri: 'https://app.example.com/bc',
      });
      await repos.clients.setRegistrationAccessTokenHash(a.id, client.clientId, 'a'.repeat(43));
      const api = await repos.apis.insert(a.id, { identifier: 'https://api.iso.example', name: 'A API', scopes: ['a:read'] });
      assert.ok(api);
      const registrationTokenHash = 'g'.repeat(43);
      const registrationToken = await repos.registrationTokens.insert(a.id, registrationTokenHash, LATER, DEFAULT_REGISTRATION_POLICY);
      await repos.consents.grant(a.id, user.created.id, client.clientId, ['openid'], NOW);
      await repos.consents.grant(a.id, user.created.id, client.clientId, ['a:read'], NOW, api.identifier);
      const sessionTokenHash = 'q'.repeat(43);
      const sessionId = await repos.sessions.insert(a.id, {
        userId: user.created.id,
        tokenHash: sessionTokenHash,
        authTime: NOW,
        amr: ['pwd'],
        expiresAt: LATER,
      });
      const passkey = await repos.passkeys.insert(a.id, { ...PASSKEY, userId: user.created.id, credentialId: 'cred-of-a' });
      assert.ok(passkey);
      const challengeHash = 'z'.repeat(43);
      await repos.passkeys.saveChallenge(
        a.id,
        { challengeHash, purpose: 'authenticate', binding: 'a', userId: user.created.id, expiresAt: LATER },
        NOW,
      );
      await repos.secondFactors.savePendingTotp(a.id, user.created.id, 'v1.a.a.a');
      await repos.secondFactors.confirmTotp(a.id, user.created.id, 1, NOW);
      await repos.secondFactors.replaceRecoveryCodes(a.id, user.created.id, [RECOVERY_CODE_HASH]);
      await repos.revokedTokens.revoke(a.id, ['jti-of-a'], LATER);
      const familyId = await repos.refreshTokens.createFamily(a.id, family(user.created.id, client.clientId, sessionId));
      const refreshTokenHash = 'f'.repeat(43);
      await repos.refreshTokens.insertToken(a.id, familyId, refreshTokenHash, LATER);
      const refreshToken = await repos.refreshTokens.findByHash(a.id, refreshTokenHash);
      assert.ok(refreshToken);
      const requestUriHash = 'u'.repeat(43);
      await repos.pushedRequests.insert(
        a.id,
        { requestUriHash, clientId: client.clientId, params: { scope: 'openid' }, signed: false, expiresAt: LATER },
        NOW,
      );
      const codeHash = 'o'.repeat(43);
      await repos.codes.insert(a.id, { ...code(user.created.id, client.clientId), codeHash }, []);
      const deviceCodeHash = 'd'.repeat(43);
      const userCodeHash = 'y'.repeat(43);
      await repos.deviceAuthorizations.insert(a.id, { ...device(client.clientId), deviceCodeHash, userCodeHash }, NOW);
      const interactionHandleHash = 'l'.repeat(43);
      await repos.interactions.insert(a.id, { ...interaction(client.clientId), handleHash: interactionHandleHash });
      const sink = await repos.siemSinks.insert(a.id, { ...SINK, id: randomUUID() });
      const kid = `kid-of-a-${randomUUID()}`;
      await repos.signingKeys.insert(a.id, { ...KEY, kid, alg: 'PS256' });
      const recordHash = 'r'.repeat(64);
      const recordId = randomUUID();
      await repos.auditRecords.lockChainHead(a.id, GENESIS_HASH);
      await repos.auditRecords.insertMany([
        {
          id: recordId,
          tenantId: a.id,
          tenantSlug: a.slug,
          sequence: 1,
          type: 'login.succeeded',
          outcome: 'success',
          occurredAt: NOW,
          recordedAt: NOW,
          userId: user.created.id,
          username: 'alice',
          ip: '198.51.100.1',
          geo: { kind: 'unknown' },
          risk: { score: 0, reasons: [] },
          hash: recordHash,
          previousHash: GENESIS_HASH,
        },
      ]);
      await repos.auditRecords.advanceChainHead(a.id, { sequence: 1, hash: recordHash });
      await repos.auditOutbox.append(a.id, [{ type: 'login.succeeded', outcome: 'success', occurredAt: NOW, userId: user.created.id }]);
      const bob = await repos.users.insert(a.id, { username: 'bob', email: null, passwordHash: null });
      assert.ok('created' in bob);
      await repos.secondFactors.savePendingTotp(a.id, bob.created.id, 'v1.b.b.b');
      await repos.siemSinks.deadLetter(sink, [{ id: recordId, sequence: 1 }], 'refused', NOW);
      // Disabled, so no sink holds A's records back from retention: deleteOlderThan from B would find them.
      await repos.siemSinks.setEnabled(a.id, sink.id, false);
      assert.equal(await repos.backchannelLogoutJobs.enqueueForSession(a.id, sessionId, user.created.id), 1, "A's client has a job");
      const idOf = async (table: string) =>
        (await database.dataSource.query<{ id: string }[]>(`SELECT id FROM ${table} WHERE tenant_id = $1`, [a.id]))[0]?.id ?? '';
      seeded = {
        tenant: a,
        userId: user.created.id,
        username: 'alice',
        client: (await repos.clients.findByClientId(a.id, client.clientId)) ?? client,
        apiId: api.id,
        apiIdentifier: api.identifier,
        registrationTokenId: registrationToken.id,
        registrationTokenHash,
        sessionId,
        sessionTokenHash,
        passkeyId: passkey.id,
        credentialId: passkey.credentialId,
        challengeHash,
        revokedJti: 'jti-of-a',
        familyId,
        refreshTokenHash,
        refreshTokenId: refreshToken.id,
        requestUriHash,
        codeId: await idOf('authorization_codes'),
        codeHash,
        deviceId: await idOf('device_authorizations'),
        deviceCodeHash,
        userCodeHash,
        interactionId: await idOf('interactions'),
        interactionHandleHash,
        sinkId: sink.id,
        pendingUserId: bob.created.id,
        kid,
        recordId,
        outboxEventId: await idOf('audit_outbox'),
      };
      assert.ok(seeded.codeId && seeded.deviceId && seeded.interactionId && seeded.outboxEventId, 'every seeded row has its id');
    });
    after(async () => {
      await closeDatabase?.();
    });

    it('every repository is in the table', () => {
      assert.deepEqual(Object.keys(PROBED).sort(), Object.keys(persistence.repositories).sort());
    });

    it("tenant B finds, counts and changes nothing of tenant A's, whichever method it calls", async () => {
      const before = await rowsOfA();
      assert.ok(before.length >= 7, 'tenant A has its rows');
      const leaks: string[] = [];
      for (const [repository, probes] of Object.entries(PROBED) as [string, Record<string, Probe>][]) {
        for (const [method, probe] of Object.entries(probes)) {
          const answer = await probe(persistence.repositories, tenantB.id, seeded);
          if (!isNothing(answer)) leaks.push(`${repository}.${method} answered ${JSON.stringify(answer).slice(0, 120)}`);
        }
      }
      assert.deepEqual(leaks, []);
      assert.deepEqual(await rowsOfA(), before, 'no row of tenant A changed');
    });
  });
}
