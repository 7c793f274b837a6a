import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCspNonce, pageSecurityHeaders } from './page-security-headers.js';

const NONCE = 'q0JZyF3m8lM5n2xYp7Vb1A==';

describe('pageSecurityHeaders', () => {
  it('returns exactly the page headers', () => {
    assert.deepEqual(Object.keys(pageSecurityHeaders(NONCE)).sort(), [
      'cache-control',
      'content-security-policy',
      'content-type',
      'cross-origin-opener-policy',
      'pragma',
      'referrer-policy',
      'x-content-type-options',
      'x-frame-options',
    ]);
  });

  it('builds a CSP around the nonce that forbids framing and everything else by default', () => {
    const csp = pageSecurityHeaders(NONCE)['content-security-policy'] ?? '';
    const directives = csp.split('; ');
    assert.ok(directives.includes("default-src 'none'"));
    assert.ok(directives.includes(`style-src 'nonce-${NONCE}'`));
    assert.ok(directives.includes(`script-src 'nonce-${NONCE}'`));
    assert.ok(directives.includes("frame-ancestors 'none'"));
    assert.ok(directives.includes("base-uri 'none'"));
  });

  it('leaves out form-action, which would block the redirect back to the client', () => {
    assert.ok(!(pageSecurityHeaders(NONCE)['content-security-policy'] ?? '').includes('form-action'));
  });

  it('sets the non-CSP protections', () => {
    const headers = pageSecurityHeaders(NONCE);
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['cache-control'], 'no-store');
    assert.equal(headers['pragma'], 'no-cache');
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
  });

  it('refuses a nonce that could inject a directive', () => {
    assert.throws(() => pageSecurityHeaders(`${NONCE}; script-src *`));
    assert.throws(() => pageSecurityHeaders(''));
  });
});

describe('createCspNonce', () => {
  it('is 16 random bytes in base64, fresh on every call', () => {
    const nonce = createCspNonce();
    assert.equal(Buffer.from(nonce, 'base64').length, 16);
    assert.equal(Buffer.from(nonce, 'base64').toString('base64'), nonce);
    assert.notEqual(createCspNonce(), nonce);
    assert.doesNotThrow(() => pageSecurityHeaders(nonce));
  });
});
