import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { tokenHashClaim } from './token-hash.js';

/** The OIDC Core recipe, written out independently: left-most half of the digest, base64url. */
function leftHalf(hash: 'sha256' | 'sha512', value: string): string {
  const digest = createHash(hash).update(Buffer.from(value, 'ascii')).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

describe('tokenHashClaim (at_hash, c_hash)', () => {
  it('matches the at_hash and c_hash of the OIDC Core Appendix A examples (RS256)', () => {
    assert.equal(tokenHashClaim('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'), '77QmUPtjPfzWtF2AnpK9RQ');
    assert.equal(tokenHashClaim('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', 'RS256'), 'LDktKdoQak3Pk0cnXxCltA');
  });

  it('hashes with SHA-256 for RS256, ES256 and PS256: 128 bits, 22 characters', () => {
    const token = 'SlAV32hkKG-access-token';
    for (const alg of ['RS256', 'ES256', 'PS256'] as const) {
      const claim = tokenHashClaim(token, alg);
      assert.equal(claim, leftHalf('sha256', token));
      assert.equal(claim.length, 22);
    }
  });

  it('hashes with SHA-512 for EdDSA (Ed25519): 256 bits, 43 characters', () => {
    const claim = tokenHashClaim('SlAV32hkKG-access-token', 'EdDSA');
    assert.equal(claim, leftHalf('sha512', 'SlAV32hkKG-access-token'));
    assert.equal(claim.length, 43);
  });
});
