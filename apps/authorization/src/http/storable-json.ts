import { hasLoneSurrogate } from '@gatehouse/protocol';

const MAX_DEPTH = 32;

/**
 * Whether a parsed JSON body holds text PostgreSQL cannot store: U+0000 anywhere, or a lone UTF-16
 * surrogate (JSON's "\ud800"), which jsonb refuses. Either would fail in the database as a 500.
 * Nesting deeper than the walk goes is refused too: what it cannot see it cannot vouch for.
 */
export function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000') || hasLoneSurrogate(value);
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  return Object.entries(value as Record<string, unknown>).some(
    ([key, item]) => hasUnstorableText(key, depth + 1) || hasUnstorableText(item, depth + 1),
  );
}
