import { createHash } from 'node:crypto';
import { AdminProblem } from '../errors/admin-problem.js';

/** A strong ETag over a resource's version (its updated_at) and representation. */
export function etagFor(updatedAt: Date, representation: unknown): string {
  return `"${createHash('sha256')
    .update(`${updatedAt.getTime()}:${JSON.stringify(representation)}`)
    .digest('base64url')
    .slice(0, 22)}"`;
}

/** RFC 9110 §13.1.1 If-Match; RFC 6585 §3: updates without it are 428 Precondition Required. */
export function requireIfMatch(ifMatch: string | undefined, current: string): void {
  if (!ifMatch) throw new AdminProblem('precondition_required', 'send If-Match with the ETag you last read');
  const candidates = ifMatch.split(',').map((value) => value.trim());
  if (!candidates.includes(current) && !candidates.includes('*'))
    throw new AdminProblem('precondition_failed', 'the resource changed since you read it; read it again');
}
