import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries the metrics bearer token. Both sides are hashed
 * first so the comparison is constant-time whatever the lengths.
 */
export function presentsToken(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(token));
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
