import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { installAuditTraceBridge, type AuditEvent } from '@gatehouse/audit';
import { asTenantId } from '@gatehouse/protocol';
import { outboxEntries } from '../batching/group-commit-outbox.js';
import { outboxInsert, outboxPayload } from './audit-outbox.repository.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const event: AuditEvent = {
  type: 'token.issued',
  outcome: 'success',
  occurredAt: new Date('2026-12-07T10:00:00Z'),
  clientId: 'svc',
  details: { grantType: 'client_credentials' },
};

describe('outbox payloads and the traceparent', () => {
  after(() => installAuditTraceBridge({ current: () => undefined, inChildSpans: (_name, _parents, work) => work() }));

  it('holds the event less its columns, and no traceparent when none is given', () => {
    assert.deepEqual(JSON.parse(outboxPayload(event)), { clientId: 'svc', details: { grantType: 'client_credentials' } });
  });

  it('adds the traceparent given beside the event, leaving the event itself untouched', () => {
    assert.deepEqual(JSON.parse(outboxPayload(event, TRACEPARENT)), {
      clientId: 'svc',
      details: { grantType: 'client_credentials' },
      traceContext: TRACEPARENT,
    });
    assert.equal('traceContext' in event, false);
  });

  it("keeps an event's own traceparent, unless one is given beside it (the request's, taken before batching)", () => {
    const carried = { ...event, traceContext: TRACEPARENT };
    const other = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    assert.equal((JSON.parse(outboxPayload(carried)) as { traceContext: string }).traceContext, TRACEPARENT);
    assert.equal((JSON.parse(outboxPayload(carried, other)) as { traceContext: string }).traceContext, other);
  });

  it('outbox entries take the traceparent current when they are made, and the INSERT writes it', () => {
    let current: string | undefined = TRACEPARENT;
    installAuditTraceBridge({ current: () => current, inChildSpans: (_name, _parents, work) => work() });
    const entries = outboxEntries(asTenantId('t1'), [event, event]);
    current = undefined;
    assert.equal(entries.length, 2);
    for (const entry of entries) {
      assert.equal(entry.event, event, 'the event itself, not a copy');
      assert.equal(entry.traceContext, TRACEPARENT);
    }
    const { values } = outboxInsert(entries, 0);
    assert.equal((JSON.parse(values[4] as string) as { traceContext: string }).traceContext, TRACEPARENT);
    assert.equal((JSON.parse(values[9] as string) as { traceContext: string }).traceContext, TRACEPARENT);
    assert.equal(outboxEntries(asTenantId('t1'), [event])[0]?.traceContext, undefined, 'untraced now: none');
  });
});
