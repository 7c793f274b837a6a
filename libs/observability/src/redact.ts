import { scrub } from './scrub.js';

const SENSITIVE_KEY =
  /pass(word)?|secret|token|authorization|cookie|code_verifier|^code$|otp|dpop|private|key_encryption|credential|assertion/i;
export const REDACTED = '[redacted]';

/**
 * Replaces values under sensitive keys, however deep, and scrubs secrets out of
 * every string; never mutates its input. Only plain objects and arrays are walked:
 * anything else (an Error, an IncomingMessage) is left to pino's serializers.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (!isPlain(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
