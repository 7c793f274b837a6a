const MAX_DEPTH = 32;

/**
 * An event's free-form details as PostgreSQL's jsonb and the canonical JSON of the hash can
 * both hold them: no U+0000 (jsonb refuses it), no NaN or Infinity (JSON has none), no
 * undefined members, bounded depth. Without this one odd event would fail its whole batch.
 */
export function jsonSafe(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : jsonSafe(item, depth + 1)));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined && typeof item !== 'function' && typeof item !== 'symbol' && typeof item !== 'bigint')
        .map(([key, item]) => [key.replaceAll('\u0000', ''), jsonSafe(item, depth + 1)]),
    );
  }
  return null;
}
