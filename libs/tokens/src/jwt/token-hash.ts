import { createHash } from 'node:crypto';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';

/**
 * OIDC Core §3.1.3.6 at_hash / c_hash: the left half of the hash of the ASCII
 * value, base64url. The hash follows the JWS alg; for EdDSA (Ed25519) SHA-512,
 * as OpenID Connect and FAPI implementations settled on.
 */
export function tokenHashClaim(value: string, alg: SigningAlgorithm): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(value, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
