import { createHmac, hkdfSync, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;

// Crockford-like alphabet without 0/O, 1/I/L: codes are read off paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GROUP = 5;

/** Ten codes of 10 characters from a 31-letter alphabet (~49 bits each), shown as `XXXXX-XXXXX`. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let raw = '';
    for (let index = 0; index < GROUP * 2; index += 1) raw += ALPHABET[randomInt(ALPHABET.length)];
    return `${raw.slice(0, GROUP)}-${raw.slice(GROUP)}`;
  });
}

/** Case, spaces and dashes do not matter when a person types a code back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

/**
 * Recovery codes are stored as HMAC-SHA-256 under a key derived from the key-encryption key,
 * bound to tenant and user: a leaked table alone cannot be brute-forced offline, and a code is
 * found by its digest, so "use" is one conditional UPDATE (docs/adr/0008).
 */
export class RecoveryCodeHasher {
  private readonly key: Buffer;

  constructor(keyEncryptionKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', keyEncryptionKey, Buffer.alloc(0), 'gatehouse recovery codes v1', 32));
  }

  hash(tenantId: string, userId: string, code: string): string {
    return createHmac('sha256', this.key)
      .update(`${tenantId}\n${userId}\n${normalizeRecoveryCode(code)}`)
      .digest('base64url');
  }
}
