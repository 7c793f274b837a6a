import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimalRecord, sampleRecord } from './audit-record.fixture.js';
import { formatJson } from './json.formatter.js';

describe('JSON formatter', () => {
  it('writes the documented keys in a fixed order', () => {
    assert.equal(
      formatJson(sampleRecord()),
      '{"id":"0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01","tenant":{"id":"6f1c1e2a-5b7d-4c3e-9f10-2a3b4c5d6e7f","slug":"acme"},' +
        '"sequence":42,"type":"login.failed","outcome":"failure","occurredAt":"2024-05-01T12:34:56.789Z","recordedAt":"2024-05-01T12:34:57.001Z",' +
        '"user":{"id":"u-7","name":"alice@example.com"},"clientId":"web-app","ip":"203.0.113.9","userAgent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0",' +
        '"geo":{"kind":"located","country":"FR","city":"Paris","latitude":48.8566,"longitude":2.3522},"device":{"id":"dev-1","browser":"Firefox","os":"Linux"},' +
        '"risk":{"score":50,"reasons":[{"rule":"geo.new_country","points":30,"detail":"first login from FR"},{"rule":"device.new","points":20,"detail":"device not seen before"}]},' +
        `"errorCode":"access_denied","details":{"attempt":2,"reason":"bad password"},"hash":"${'9f2c'.repeat(16)}","previousHash":"${'0b1a'.repeat(16)}"}`,
    );
  });

  it('leaves absent values out', () => {
    assert.equal(
      formatJson(minimalRecord()),
      '{"id":"e-2","tenant":{"id":"t-2","slug":"beta"},"sequence":1,"type":"session.ended","outcome":"success",' +
        '"occurredAt":"2024-01-02T03:04:05.006Z","recordedAt":"2024-01-02T03:04:05.106Z","geo":{"kind":"unknown"},' +
        `"risk":{"score":0,"reasons":[]},"hash":"${'ab'.repeat(32)}","previousHash":"${'00'.repeat(32)}"}`,
    );
  });

  it('gives equal bytes for equal details whatever their key order, and stays on one line', () => {
    const a = formatJson(minimalRecord({ details: { b: 1, a: { y: 2, x: 'line\nbreak' } } }));
    const b = formatJson(minimalRecord({ details: { a: { x: 'line\nbreak', y: 2 }, b: 1 } }));
    assert.equal(a, b);
    assert.ok(a.includes('"details":{"a":{"x":"line\\nbreak","y":2},"b":1}'));
    assert.ok(!a.includes('\n'));
  });
});
