import type { Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { hashPassword, verifyPassword } from '@gatehouse/tokens';

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password with the same argon2id cost whether or not the user exists,
 * so response time does not reveal which usernames are registered.
 */
export async function checkPassword(
  persistence: Persistence,
  tenantId: TenantId,
  username: string,
  password: string,
): Promise<string | null> {
  const stored = username.length <= 128 ? await persistence.repositories.users.findPasswordHash(tenantId, username) : null;
  dummyHash ??= hashPassword('gatehouse timing equaliser, never a real password');
  const valid = await verifyPassword(stored?.passwordHash ?? (await dummyHash), password.slice(0, 1024));
  return stored && valid ? stored.userId : null;
}
