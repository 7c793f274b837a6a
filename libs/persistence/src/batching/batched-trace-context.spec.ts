import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { installAuditTraceBridge, type AuditEvent } from '@gatehouse/audit';
import { asTenantId } from '@gatehouse/protocol';
import type { AuthorizationCodeRepository, CodeRedemption, NewCodeEntry } from '../repositories/authorization-code.repository.js';
import type { RefreshTokenRepository, Rotation } from '../repositories/refresh-token.repository.js';
import { BatchedCodes } from './batched-codes.js';
import { BatchedRefreshTokens } from './batched-refresh-tokens.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tenantId = asTenantId('t1');
const event: AuditEvent = { type: 'token.issued', outcome: 'success', occurredAt: new Date('2026-12-07T10:00:00Z'), clientId: 'web' };

/** The traceparent current while `work` starts, and none after: the batch runs later, outside the request. */
async function whileTraced<T>(work: () => Promise<T>): Promise<T> {
  let current: string | undefined = TRACEPARENT;
  installAuditTraceBridge({ current: () => current, inChildSpans: (_name, _parents, run) => run() });
  const pending = work();
  current = undefined;
  return pending;
}

describe('batched code and refresh-token writes carry the traceparent of the request that asked', () => {
  after(() => installAuditTraceBridge({ current: () => undefined, inChildSpans: (_name, _parents, work) => work() }));

  it('a new code and a redemption carry the traceparent current when the request asks', async () => {
    const inserted: NewCodeEntry[] = [];
    const redeemed: CodeRedemption[] = [];
    const repository = {
      insertMany: (entries: readonly NewCodeEntry[]) => (inserted.push(...entries), Promise.resolve()),
      redeemMany: (redemptions: readonly CodeRedemption[]) => (redeemed.push(...redemptions), Promise.resolve(redemptions.map(() => true))),
    } as unknown as AuthorizationCodeRepository;
    const codes = new BatchedCodes(repository);
    await whileTraced(() => codes.insert(tenantId, {} as NewCodeEntry['code'], [event]));
    const redemption = { tenantId, codeId: 'c1', now: new Date(), jtis: [], grant: null, events: [event] };
    assert.equal(await whileTraced(() => codes.redeem(redemption)), true);
    assert.equal(inserted[0]?.traceContext, TRACEPARENT);
    assert.equal(redeemed[0]?.traceContext, TRACEPARENT);
    assert.equal(redeemed[0]?.events[0], event, 'the events themselves, not copies');
    await codes.insert(tenantId, {} as NewCodeEntry['code'], [event]);
    assert.equal(inserted[1]?.traceContext, undefined, 'untraced: none');
  });

  it('a refresh-token rotation', async () => {
    const rotated: Rotation[] = [];
    const repository = {
      rotateMany: (rotations: readonly Rotation[]) => (
        rotated.push(...rotations),
        Promise.resolve(rotations.map(() => 'rotated' as const))
      ),
    } as unknown as RefreshTokenRepository;
    const tokens = new BatchedRefreshTokens(repository);
    const rotation = { tenantId, tokenId: 'r1', now: new Date(), successor: {} as Rotation['successor'], events: [event] };
    assert.equal(await whileTraced(() => tokens.rotate(rotation)), 'rotated');
    assert.equal(rotated[0]?.traceContext, TRACEPARENT);
  });
});
