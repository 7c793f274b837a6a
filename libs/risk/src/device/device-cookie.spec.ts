import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { issueDeviceId, signDeviceCookie, verifyDeviceCookie } from './device-cookie.js';

const KEY = randomBytes(32);

describe('device cookie', () => {
  it('issues unique 128-bit base64url ids', () => {
    const id = issueDeviceId();
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
    assert.notEqual(id, issueDeviceId());
  });

  it('round-trips a signed id', () => {
    const id = issueDeviceId();
    const cookie = signDeviceCookie(id, KEY);
    assert.match(cookie, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    assert.equal(verifyDeviceCookie(cookie, KEY), id);
  });

  it('refuses a cookie signed with another key', () => {
    const cookie = signDeviceCookie(issueDeviceId(), randomBytes(32));
    assert.equal(verifyDeviceCookie(cookie, KEY), null);
  });

  it('refuses another id under a valid MAC (id swap)', () => {
    const [, mac] = signDeviceCookie(issueDeviceId(), KEY).split('.');
    assert.equal(verifyDeviceCookie(`${issueDeviceId()}.${mac}`, KEY), null);
  });

  it('refuses every single-character change of a valid cookie', () => {
    const cookie = signDeviceCookie(issueDeviceId(), KEY);
    for (let i = 0; i < cookie.length; i++) {
      const swapped = cookie[i] === 'A' ? 'B' : 'A';
      const tampered = cookie.slice(0, i) + swapped + cookie.slice(i + 1);
      assert.equal(verifyDeviceCookie(tampered, KEY), null, tampered);
    }
  });

  it('refuses non-canonical encodings, extra parts and garbage', () => {
    const cookie = signDeviceCookie(issueDeviceId(), KEY);
    const [id = '', mac = ''] = cookie.split('.');
    const cases = [
      undefined,
      null,
      '',
      '.',
      id,
      `${id}.`,
      `.${mac}`,
      `${cookie}.`,
      `${cookie}.x`,
      `${cookie}=`,
      `${id}.${mac}==`,
      `${id}.${mac.slice(0, 20)}!${mac.slice(20)}`,
      `${id}.${Buffer.from(mac, 'base64url').toString('base64')}`,
      `${id}.${mac.slice(0, -1)}`,
      `${id}x.${mac}`,
      `${id.slice(1)}.${mac}`,
      cookie.toUpperCase(),
      'a'.repeat(10_000),
    ];
    for (const value of cases) assert.equal(verifyDeviceCookie(value, KEY), null, String(value));
  });

  it('refuses to sign something that is not a device id, and a short key', () => {
    assert.throws(() => signDeviceCookie('alice', KEY), TypeError);
    assert.throws(() => signDeviceCookie(issueDeviceId(), randomBytes(16)), RangeError);
  });
});
