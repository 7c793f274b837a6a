import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateCodeVerifier, isValidCodeVerifier, s256Challenge, verifyS256 } from './pkce.js';

// RFC 7636 Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('pkce', () => {
  it('computes the RFC 7636 Appendix B challenge', () => {
    assert.equal(s256Challenge(RFC_VERIFIER), RFC_CHALLENGE);
  });

  it('verifies a matching pair and refuses a different verifier', () => {
    assert.equal(verifyS256(RFC_VERIFIER, RFC_CHALLENGE), true);
    assert.equal(verifyS256(generateCodeVerifier(), RFC_CHALLENGE), false);
  });

  it('refuses verifiers outside 43-128 unreserved characters', () => {
    assert.equal(isValidCodeVerifier('a'.repeat(42)), false);
    assert.equal(isValidCodeVerifier('a'.repeat(129)), false);
    assert.equal(isValidCodeVerifier(`${'a'.repeat(42)}+`), false);
    assert.equal(verifyS256('short', RFC_CHALLENGE), false);
  });

  it('generates 43-character verifiers that are unique', () => {
    const a = generateCodeVerifier();
    assert.equal(a.length, 43);
    assert.equal(isValidCodeVerifier(a), true);
    assert.notEqual(a, generateCodeVerifier());
  });
});
