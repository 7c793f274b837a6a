import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInternalAddress } from './internal-address.js';
import { parseIpAddress } from './ip-address.js';

describe('parseIpAddress', () => {
  it('keeps IPv4 and canonicalises IPv6 (RFC 5952)', () => {
    assert.deepEqual(parseIpAddress(' 8.8.8.8 '), { address: '8.8.8.8', family: 4 });
    assert.deepEqual(parseIpAddress('2001:4860:4860:0:0:0:0:8888'), { address: '2001:4860:4860::8888', family: 6 });
    assert.deepEqual(parseIpAddress('2001:DB8::1'), { address: '2001:db8::1', family: 6 });
  });

  it('unwraps IPv4-mapped IPv6 in dotted and hex form, and drops a zone id', () => {
    assert.deepEqual(parseIpAddress('::ffff:8.8.8.8'), { address: '8.8.8.8', family: 4 });
    assert.deepEqual(parseIpAddress('::FFFF:0a00:0001'), { address: '10.0.0.1', family: 4 });
    assert.deepEqual(parseIpAddress('fe80::1%eth0'), { address: 'fe80::1', family: 6 });
  });

  it('refuses what is not an address', () => {
    for (const input of ['', 'localhost', '256.1.1.1', '1.2.3', '::g', '8.8.8.8/32', '[::1]', '1.2.3.4:80']) {
      assert.equal(parseIpAddress(input), null, input);
    }
  });
});

describe('isInternalAddress', () => {
  const internal = (ip: string): boolean => {
    const parsed = parseIpAddress(ip);
    assert.ok(parsed, ip);
    return isInternalAddress(parsed);
  };

  it('classifies loopback, private, link-local, CGNAT and unspecified as internal', () => {
    const cases = [
      '127.0.0.1',
      '127.255.255.254',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.255',
      '0.0.0.0',
      '::',
      '::1',
      'fc00::1',
      'fd12:3456:789a::1',
      'fe80::1',
      'fe80::1%eth0',
      '::ffff:127.0.0.1',
      '::ffff:192.168.0.10',
      '::ffff:a9fe:a9fe',
    ];
    for (const ip of cases) assert.equal(internal(ip), true, ip);
  });

  it('leaves public addresses and the edges just outside each range public', () => {
    const cases = [
      '8.8.8.8',
      '1.1.1.1',
      '172.15.255.255',
      '172.32.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '11.0.0.0',
      '2001:4860:4860::8888',
      'fe00::1',
      'fec0::1',
      '::ffff:8.8.8.8',
      '::2',
    ];
    for (const ip of cases) assert.equal(internal(ip), false, ip);
  });
});
