const SENSITIVE_KEY = /pass(word)?|secret|token|authorization|cookie|code_verifier|^code$|private|key_encryption|credential|assertion/i;
const REDACTED = '[redacted]';

/** Replaces values under sensitive keys, however deep; never mutates its input. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}
