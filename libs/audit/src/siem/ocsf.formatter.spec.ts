import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimalRecord, sampleRecord } from './audit-record.fixture.js';
import { ocsfSeverity, toOcsfAuthentication } from './ocsf.formatter.js';

const context = { productVersion: '1.4.2' };

describe('OCSF Authentication formatter', () => {
  it('maps a failed login to a 3002 Logon failure with user, endpoint, risk and metadata', () => {
    assert.equal(
      JSON.stringify(toOcsfAuthentication(sampleRecord(), context)),
      JSON.stringify({
        class_uid: 3002,
        class_name: 'Authentication',
        category_uid: 3,
        category_name: 'Identity & Access Management',
        activity_id: 1,
        activity_name: 'Logon',
        type_uid: 300201,
        type_name: 'Authentication: Logon',
        time: 1714566896789,
        severity_id: 3,
        severity: 'Medium',
        status_id: 2,
        status: 'Failure',
        status_code: 'access_denied',
        message: 'login.failed',
        user: { name: 'alice@example.com', uid: 'u-7' },
        src_endpoint: { ip: '203.0.113.9', location: { country: 'FR', city: 'Paris', coordinates: [2.3522, 48.8566] } },
        http_request: { user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' },
        service: { uid: 'web-app' },
        auth_protocol_id: 6,
        auth_protocol: 'OAUTH 2.0',
        risk_score: 50,
        metadata: {
          uid: '0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01',
          sequence: 42,
          tenant_uid: '6f1c1e2a-5b7d-4c3e-9f10-2a3b4c5d6e7f',
          logged_time: 1714566897001,
          version: '1.3.0',
          product: { name: 'Gatehouse', vendor_name: 'Gatehouse', version: '1.4.2' },
        },
        unmapped: {
          gatehouse: {
            event_type: 'login.failed',
            tenant: 'acme',
            risk_reasons: [
              { rule: 'geo.new_country', points: 30, detail: 'first login from FR' },
              { rule: 'device.new', points: 20, detail: 'device not seen before' },
            ],
            device: { uid: 'dev-1', browser: 'Firefox', os: 'Linux' },
            hash: '9f2c'.repeat(16),
            previous_hash: '0b1a'.repeat(16),
          },
        },
      }),
    );
  });

  it('maps session ends to Logoff success and admin changes to Other', () => {
    const logoff = toOcsfAuthentication(minimalRecord(), context);
    assert.equal(logoff['activity_id'], 2);
    assert.equal(logoff['type_uid'], 300202);
    assert.equal(logoff['status_id'], 1);
    assert.equal(logoff['severity_id'], 1);
    assert.equal(logoff['src_endpoint'], undefined);
    const other = toOcsfAuthentication(minimalRecord({ type: 'admin.change' }), context);
    assert.equal(other['activity_id'], 99);
    assert.equal(other['type_uid'], 300299);
  });

  it('scales risk to severity_id', () => {
    assert.deepEqual(
      [0, 1, 39, 40, 69, 70, 89, 90, 100].map((s) => ocsfSeverity(s).id),
      [1, 2, 2, 3, 3, 4, 4, 5, 5],
    );
  });
});
