import { importJWK, type JWK } from 'jose';
import { AdminProblem } from '../errors/admin-problem.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** A client's registered JWK Set must hold only usable public signing keys. */
export async function validatePublicJwks(value: unknown): Promise<{ keys: Record<string, unknown>[] }> {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 20) {
    throw new AdminProblem('validation_failed', 'jwks must be a JWK Set with 1-20 keys', 'jwks');
  }
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null || typeof (key as JWK).kty !== 'string') {
      throw new AdminProblem('validation_failed', `jwks.keys[${index}] is not a JWK`, 'jwks');
    }
    if (PRIVATE_MEMBERS.some((member) => member in key)) {
      throw new AdminProblem('validation_failed', `jwks.keys[${index}] contains private or symmetric key material`, 'jwks');
    }
    try {
      await importJWK(key as JWK, (key as JWK).alg ?? defaultAlg(key as JWK));
    } catch {
      throw new AdminProblem('validation_failed', `jwks.keys[${index}] is not a usable public key`, 'jwks');
    }
  }
  return { keys: keys as Record<string, unknown>[] };
}

function defaultAlg(key: JWK): string {
  if (key.kty === 'RSA') return 'RS256';
  if (key.kty === 'OKP') return 'EdDSA';
  if (key.crv === 'P-384') return 'ES384';
  if (key.crv === 'P-521') return 'ES512';
  return 'ES256';
}
