import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits of randomness, base64url: client secrets, refresh tokens, codes. */
export function generateOpaqueSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * High-entropy secrets are stored as SHA-256 digests: a slow hash adds nothing
 * against guessing 256 random bits and would cost the hot path.
 */
export function hashOpaqueSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function verifyOpaqueSecret(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashOpaqueSecret(secret), 'utf8');
  const expected = Buffer.from(storedHash, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
