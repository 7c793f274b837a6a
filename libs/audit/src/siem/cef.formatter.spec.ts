import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimalRecord, SAMPLE_CEF, sampleRecord } from './audit-record.fixture.js';
import { cefSeverity, escapeExtensionValue, escapeHeader, formatCef } from './cef.formatter.js';

const context = { productVersion: '1.4.2' };

describe('CEF formatter', () => {
  it('renders a scored failed login with the documented keys, in order', () => {
    assert.equal(formatCef(sampleRecord(), context), SAMPLE_CEF);
  });

  it('names the sign-in risk decision in act and msg', () => {
    const record = sampleRecord({ details: { reason: 'risk_blocked', risk_decision: { action: 'block', outcome: 'refuse', score: 90 } } });
    assert.match(formatCef(record, context), / reason=access_denied act=block msg=risk decision block: refuse cs4=FR /);
    assert.doesNotMatch(formatCef(sampleRecord(), context), / act=/);
  });

  it('leaves out keys without a value', () => {
    assert.equal(
      formatCef(minimalRecord(), context),
      'CEF:0|Gatehouse|Gatehouse|1.4.2|session.ended|Session ended|0|' +
        `rt=1704164645006 externalId=e-2 outcome=success cs3=beta cs3Label=tenant cn1=0 cn1Label=riskScore cn2=1 cn2Label=chainSequence cs6=${'ab'.repeat(32)} cs6Label=chainHash`,
    );
  });

  it('escapes \\ and | in the header, and never lets a header span lines', () => {
    const line = formatCef(minimalRecord(), { productVersion: '2.0|rc\\1\nx' });
    assert.ok(line.startsWith('CEF:0|Gatehouse|Gatehouse|2.0\\|rc\\\\1 x|session.ended|'));
    assert.equal(escapeHeader('a|b\\c\r\nd'), 'a\\|b\\\\c d');
  });

  it('escapes \\, = and newlines in extension values, and not |', () => {
    const line = formatCef(minimalRecord({ username: 'eve=admin\\x\r\ninjected=1', userAgent: 'curl|8' }), context);
    assert.ok(line.includes(' suser=eve\\=admin\\\\x\\r\\ninjected\\=1 requestClientApplication=curl|8 '));
    assert.ok(!/[\r\n]/.test(line), 'one line');
    assert.equal(escapeExtensionValue('a=b\\c\rd\ne|f'), 'a\\=b\\\\c\\rd\\ne|f');
  });

  it('puts IPv6 sources in c6a2 and unwraps IPv4-mapped addresses into src', () => {
    assert.ok(formatCef(minimalRecord({ ip: '2001:db8::1' }), context).includes(' c6a2=2001:db8::1 c6a2Label=Source IPv6 Address '));
    assert.ok(formatCef(minimalRecord({ ip: '::ffff:192.0.2.7' }), context).includes(' src=192.0.2.7 '));
  });

  it('uses the user id as suser when no username is known', () => {
    assert.ok(formatCef(minimalRecord({ userId: 'u-9' }), context).includes(' suser=u-9 suid=u-9 '));
  });

  it('scales the risk score to a 0–10 severity', () => {
    assert.deepEqual([0, 4, 5, 44, 45, 50, 94, 95, 100, 130, -5].map(cefSeverity), [0, 0, 1, 4, 5, 5, 9, 10, 10, 10, 0]);
  });
});
