import { createHash } from 'node:crypto';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';

/**
 * `at_hash` and `c_hash` (OIDC Core §3.1.3.6, §3.3.2.11): hash the octets of the value with the
 * hash of the ID token's `alg`, keep the left-most half, base64url-encode it.
 */
export function tokenHashClaim(value: string, alg: SigningAlgorithm): string {
  // Access tokens and codes are ASCII, whose octets UTF-8 leaves unchanged.
  const digest = createHash(hashOf(alg)).update(value, 'utf8').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function hashOf(alg: SigningAlgorithm): 'sha256' | 'sha512' {
  switch (alg) {
    case 'ES256':
    case 'RS256':
    case 'PS256':
      return 'sha256';
    case 'EdDSA':
      // "EdDSA" names no hash. Our EdDSA keys are Ed25519 (key-generator.ts), which signs with
      // SHA-512, and the OpenID convention (Connect Core errata, FAPI, node-oidc-provider) hashes
      // at_hash/c_hash with SHA-512 for Ed25519 (SHAKE256 would be Ed448's).
      return 'sha512';
  }
}
