import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'whsec_test_secret_0123456789';
const BODY = '[{"a":1}]';
const T = 1714566896;
// printf '%s' '1714566896.[{"a":1}]' | openssl dgst -sha256 -hmac 'whsec_test_secret_0123456789'
const EXPECTED = 't=1714566896,v1=3fda9fffad755fb83919ae4c044eb33c8dbb32d43014dfc3a04d4d9282d764af';

describe('webhook signature', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 (checked against openssl)', () => {
    assert.equal(signWebhookPayload(BODY, SECRET, T + 0.9), EXPECTED);
  });

  it('verifies a fresh, intact request', () => {
    assert.equal(verifyWebhookSignature(EXPECTED, BODY, SECRET, { nowSeconds: T + 10 }), true);
  });

  it('refuses a tampered body, a wrong secret and a forged timestamp', () => {
    assert.equal(verifyWebhookSignature(EXPECTED, '[{"a":2}]', SECRET, { nowSeconds: T }), false);
    assert.equal(verifyWebhookSignature(EXPECTED, BODY, `${SECRET}x`, { nowSeconds: T }), false);
    const forged = EXPECTED.replace(`t=${T}`, `t=${T + 100}`);
    assert.equal(verifyWebhookSignature(forged, BODY, SECRET, { nowSeconds: T + 100 }), false);
  });

  it('refuses a replay outside the tolerance window, either side', () => {
    assert.equal(verifyWebhookSignature(EXPECTED, BODY, SECRET, { nowSeconds: T + 301 }), false);
    assert.equal(verifyWebhookSignature(EXPECTED, BODY, SECRET, { nowSeconds: T - 301 }), false);
    assert.equal(verifyWebhookSignature(EXPECTED, BODY, SECRET, { nowSeconds: T + 300 }), true);
    assert.equal(verifyWebhookSignature(EXPECTED, BODY, SECRET, { nowSeconds: T + 30, toleranceSeconds: 10 }), false);
  });

  it('refuses malformed headers', () => {
    for (const header of [
      undefined,
      '',
      'v1=abc',
      `t=${T}`,
      `t=abc,v1=${'0'.repeat(64)}`,
      `t=${T},t=${T},v1=${'0'.repeat(64)}`,
      `t=${T},v1=zz`,
      'garbage',
    ]) {
      assert.equal(verifyWebhookSignature(header, BODY, SECRET, { nowSeconds: T }), false, String(header));
    }
  });

  it('accepts a header carrying an old and a new signature during secret rotation', () => {
    const rotated = `${EXPECTED.replace(/v1=.*/, `v1=${'0'.repeat(64)}`)},${EXPECTED.split(',')[1]}`;
    assert.equal(verifyWebhookSignature(rotated, BODY, SECRET, { nowSeconds: T }), true);
  });
});
