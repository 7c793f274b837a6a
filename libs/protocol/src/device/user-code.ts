import { createHash, randomInt } from 'node:crypto';

/** RFC 8628 §6.1: consonants only, so no words are spelled and no characters are confused. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** A fresh user code, 8 characters from the alphabet (20^8 ≈ 2^34.6 possibilities). */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** Shown to the user as XXXX-XXXX. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What the user typed, as stored: upper case, without dashes or spaces; undefined when it cannot
 * be a user code (so a malformed guess still counts against the rate limit but never hits the database).
 */
export function normalizeUserCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== USER_CODE_LENGTH) return undefined;
  for (const ch of code) if (!USER_CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}

/** Device and user codes are kept only as their SHA-256 (hex). */
export function codeHash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
