import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEventType } from '../audit-event.js';
import { minimalRecord, sampleRecord } from './audit-record.fixture.js';
import { escapeSdParam, formatSyslog, frameOctetCounting, syslogSeverity } from './syslog.formatter.js';

const options = { hostname: 'gh-worker-1', procId: '4242' };

describe('RFC 5424 syslog formatter', () => {
  it('writes PRI, version, UTC timestamp with ms, host, app, procid, msgid, SD and the BOM before MSG', () => {
    assert.equal(
      formatSyslog(sampleRecord(), 'CEF:0|x', options),
      '<85>1 2024-05-01T12:34:56.789Z gh-worker-1 gatehouse 4242 login.failed [gatehouse@32473 tenant="acme" record="0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01"] \uFEFFCEF:0|x',
    );
  });

  it('derives the severity from the risk score under the authpriv facility, or another facility', () => {
    assert.deepEqual([0, 39, 40, 69, 70, 100].map(syslogSeverity), [6, 6, 5, 5, 4, 4]);
    assert.ok(formatSyslog(minimalRecord(), 'm', options).startsWith('<86>1 '));
    assert.ok(formatSyslog(minimalRecord({ risk: { score: 90, reasons: [] } }), 'm', options).startsWith('<84>1 '));
    assert.ok(formatSyslog(minimalRecord(), 'm', { ...options, facility: 'local3' }).startsWith('<158>1 '));
  });

  it('uses NILVALUE for empty header fields and keeps them printable ASCII, MSGID at most 32', () => {
    const type = `${'x'.repeat(30)} éyz-tail` as AuditEventType;
    assert.equal(
      formatSyslog(minimalRecord({ type }), 'm', { hostname: 'host with space', procId: '' }),
      '<86>1 2024-01-02T03:04:05.006Z hostwithspace gatehouse - xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxyz [gatehouse@32473 tenant="beta" record="e-2"] \uFEFFm',
    );
  });

  it('escapes ", \\ and ] in SD-PARAM values', () => {
    assert.equal(escapeSdParam('a"b\\c]d[e'), 'a\\"b\\\\c\\]d[e');
    assert.ok(
      formatSyslog(minimalRecord({ tenantSlug: 'x"]y' }), 'm', options).includes('[gatehouse@32473 tenant="x\\"\\]y" record="e-2"]'),
    );
  });

  it('frames by octet counting with the byte length, not the character count', () => {
    assert.deepEqual(frameOctetCounting('abc'), Buffer.from('3 abc'));
    assert.deepEqual(
      frameOctetCounting('<14>1 - - - - - \uFEFFé'),
      Buffer.concat([Buffer.from('21 <14>1 - - - - - ', 'ascii'), Buffer.from([0xef, 0xbb, 0xbf, 0xc3, 0xa9])]),
    );
  });
});
