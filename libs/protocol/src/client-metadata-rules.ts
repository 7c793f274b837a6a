import { importJWK, type JWK } from 'jose';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** A registered JWK Set must hold only usable public keys: null when it does, else why not. */
export async function publicJwksProblem(value: unknown): Promise<string | null> {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 20) return 'jwks must be a JWK Set with 1-20 keys';
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null || typeof (key as JWK).kty !== 'string') return `jwks.keys[${index}] is not a JWK`;
    if (PRIVATE_MEMBERS.some((member) => member in key)) return `jwks.keys[${index}] contains private or symmetric key material`;
    try {
      await importJWK(key as JWK, (key as JWK).alg ?? defaultAlg(key as JWK));
    } catch {
      return `jwks.keys[${index}] is not a usable public key`;
    }
  }
  return null;
}

function defaultAlg(key: JWK): string {
  if (key.kty === 'RSA') return 'RS256';
  if (key.kty === 'OKP') return 'EdDSA';
  if (key.crv === 'P-384') return 'ES384';
  if (key.crv === 'P-521') return 'ES512';
  return 'ES256';
}
