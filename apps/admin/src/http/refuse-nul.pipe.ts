import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { hasLoneSurrogate } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';

const MAX_DEPTH = 32;

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate (JSON's
 * "\ud800"): either anywhere in a body, query or path parameter would fail in the database as a 500.
 * Refused up front as a 400 naming the field.
 */
export class RefuseNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const field = nulField(value, metadata.data ?? '', 0);
    if (field !== null)
      throw new AdminProblem(
        'validation_failed',
        `${field || metadata.type} must not contain NUL characters or lone UTF-16 surrogates, nor nest deeper than ${MAX_DEPTH} levels`,
        field || undefined,
      );
    return value;
  }
}

function nulField(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return unstorable(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  // Deeper than the walk goes: refused, since what it cannot see it cannot vouch for.
  if (depth > MAX_DEPTH) return path;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (unstorable(key)) return itemPath;
    const found = nulField(item, itemPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function unstorable(text: string): boolean {
  return text.includes('\u0000') || hasLoneSurrogate(text);
}
