import { createHash } from 'node:crypto';

/** A strong entity tag (RFC 9110 §8.8.3) over a resource's version (when it last changed) and its representation. */
export function entityTag(changedAt: Date, representation: unknown): string {
  return `"${createHash('sha256')
    .update(`${changedAt.getTime()}:${JSON.stringify(representation)}`)
    .digest('base64url')
    .slice(0, 22)}"`;
}

/** RFC 9110 §13.1.1: If-Match names the current tag (strong comparison: a weak tag never matches) or is `*`. */
export function ifMatchSatisfied(ifMatch: string, current: string): boolean {
  const candidates = ifMatch.split(',').map((value) => value.trim());
  return candidates.includes(current) || candidates.includes('*');
}
