import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { AdminProblem } from '../errors/admin-problem.js';

const MAX_DEPTH = 32;

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL anywhere in a body, query or path
 * parameter would fail in the database as a 500. Refused up front as a 400 naming the field.
 */
export class RefuseNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const field = nulField(value, metadata.data ?? '', 0);
    if (field !== null)
      throw new AdminProblem('validation_failed', `${field || metadata.type} must not contain NUL characters`, field || undefined);
    return value;
  }
}

function nulField(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return itemPath;
    const found = nulField(item, itemPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
