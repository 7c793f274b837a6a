import { randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';

/** RFC 7519 §2 NumericDate: whole seconds since the epoch. */
export function numericDate(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** `iat` and `exp` for a token issued at `now` that lives `lifetimeSeconds`. */
export function issuedAndExpiry(now: Date, lifetimeSeconds: number): { iat: number; exp: number } {
  if (!Number.isSafeInteger(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw new RangeError(`Token lifetime must be a positive whole number of seconds, got ${lifetimeSeconds}`);
  }
  const iat = numericDate(now);
  return { iat, exp: iat + lifetimeSeconds };
}

/** Random bytes drawn 4 KiB at a time, as node:crypto's randomUUID does: one CSPRNG call per 256 token ids. */
const ENTROPY_POOL_BYTES = 4096;
let entropy = Buffer.alloc(0);
let entropyOffset = 0;

function randomChunk(size: number): Buffer {
  if (entropyOffset + size > entropy.length) {
    entropy = randomBytes(ENTROPY_POOL_BYTES);
    entropyOffset = 0;
  }
  const chunk = entropy.subarray(entropyOffset, entropyOffset + size);
  entropyOffset += size;
  return chunk;
}

/** RFC 9068 §2.2 `jti`: 128 random bits, base64url. */
export function newTokenId(): string {
  return randomChunk(16).toString('base64url');
}

/**
 * The claims set: extra claims first, then the registered ones, so an extra claim (a profile
 * attribute, say) can never replace `iss`, `sub`, `aud` or `nonce`. Undefined values are dropped.
 */
export function claimsSet(extra: Readonly<Record<string, unknown>> | undefined, registered: Record<string, unknown>): JWTPayload {
  const claims: JWTPayload = {};
  for (const [name, value] of [...Object.entries(extra ?? {}), ...Object.entries(registered)]) {
    if (value !== undefined) claims[name] = value;
  }
  return claims;
}
