import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimalRecord, sampleRecord } from './audit-record.fixture.js';
import { toEcsEvent } from './ecs.formatter.js';

describe('ECS formatter', () => {
  it('puts the sign-in risk decision under gatehouse.risk.decision', () => {
    const record = sampleRecord({ details: { risk_decision: { action: 'step_up', outcome: 'second_factor', score: 50 } } });
    const gatehouse = toEcsEvent(record)['gatehouse'] as { risk: { decision?: unknown } };
    assert.deepEqual(gatehouse.risk.decision, { action: 'step_up', outcome: 'second_factor' });
    assert.equal((toEcsEvent(sampleRecord())['gatehouse'] as { risk: { decision?: unknown } }).risk.decision, undefined);
  });

  it('maps a failed login to ECS authentication fields and the gatehouse.* namespace', () => {
    assert.equal(
      JSON.stringify(toEcsEvent(sampleRecord())),
      JSON.stringify({
        '@timestamp': '2024-05-01T12:34:56.789Z',
        ecs: { version: '8.11.0' },
        event: {
          kind: 'event',
          category: ['authentication'],
          type: ['start'],
          action: 'login.failed',
          outcome: 'failure',
          id: '0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01',
          risk_score: 50,
          severity: 50,
          created: '2024-05-01T12:34:57.001Z',
          sequence: 42,
          dataset: 'gatehouse.audit',
          provider: 'gatehouse',
        },
        error: { code: 'access_denied' },
        user: { name: 'alice@example.com', id: 'u-7' },
        source: { ip: '203.0.113.9', geo: { country_iso_code: 'FR', city_name: 'Paris', location: { lat: 48.8566, lon: 2.3522 } } },
        user_agent: { original: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' },
        organization: { id: '6f1c1e2a-5b7d-4c3e-9f10-2a3b4c5d6e7f', name: 'acme' },
        gatehouse: {
          oauth: { client_id: 'web-app' },
          risk: {
            reasons: [
              { rule: 'geo.new_country', points: 30, detail: 'first login from FR' },
              { rule: 'device.new', points: 20, detail: 'device not seen before' },
            ],
          },
          device: { id: 'dev-1', browser: 'Firefox', os: 'Linux' },
          chain: { hash: '9f2c'.repeat(16), previous_hash: '0b1a'.repeat(16) },
        },
      }),
    );
  });

  it('marks logoffs as end, other events as info, and omits what is unknown', () => {
    const logoff = JSON.parse(JSON.stringify(toEcsEvent(minimalRecord()))) as Record<string, Record<string, unknown>>;
    assert.deepEqual(logoff['event']?.['type'], ['end']);
    assert.equal(logoff['event']?.['outcome'], 'success');
    assert.equal(logoff['user'], undefined);
    assert.equal(logoff['source'], undefined);
    assert.deepEqual((toEcsEvent(minimalRecord({ type: 'consent.granted' }))['event'] as { type: string[] }).type, ['info']);
  });
});
