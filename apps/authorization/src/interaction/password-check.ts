import type { Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { hashPassword, verifyPassword } from '@gatehouse/tokens';

let dummyHash: Promise<string> | undefined;

/** Why a login was refused: kept for the audit trail, never shown (the page says the same thing for all). */
export type LoginRefusal = 'unknown_user' | 'wrong_password' | 'locked' | 'hard_locked' | 'disabled' | 'throttled';

export type PasswordCheck =
  | { readonly accepted: true; readonly userId: string }
  | { readonly accepted: false; readonly reason: Exclude<LoginRefusal, 'throttled'>; readonly userId?: string };

/**
 * Verifies a password with the same argon2id cost whether or not the user exists, is
 * disabled, locked or hard-locked, so response time reveals neither which usernames are registered
 * nor which accounts are locked. The verdict is decided only after the hash is checked.
 */
export async function checkPassword(
  persistence: Persistence,
  tenantId: TenantId,
  username: string,
  password: string,
  now: Date,
): Promise<PasswordCheck> {
  const candidate = username.length <= 128 ? await persistence.repositories.users.findLoginCandidate(tenantId, username) : null;
  dummyHash ??= hashPassword('gatehouse timing equaliser, never a real password');
  const valid = await verifyPassword(candidate?.passwordHash ?? (await dummyHash), password.slice(0, 1024));
  if (!candidate) return { accepted: false, reason: 'unknown_user' };
  const userId = candidate.userId;
  if (candidate.status !== 'active') return { accepted: false, reason: 'disabled', userId };
  if (candidate.hardLocked) return { accepted: false, reason: 'hard_locked', userId };
  if (candidate.lockedUntil && candidate.lockedUntil > now) return { accepted: false, reason: 'locked', userId };
  return valid ? { accepted: true, userId } : { accepted: false, reason: 'wrong_password', userId };
}
