import type { Repositories } from '@gatehouse/persistence';
import { loginHistoryKeys, type LoginHistoryIndex, type LoginHistoryKey, type LoginSubject } from '@gatehouse/risk';

/** The distinct keys (user id, username, IP) the attempts of `subjects` are looked up by. */
export function keysOf(subjects: readonly LoginSubject[]): LoginHistoryKey[] {
  return [...new Set(subjects.flatMap((subject) => loginHistoryKeys(subject)))];
}

/**
 * Files into `index`, under `keys` only, the stored login attempts of those keys since `since`
 * and each user's earlier deciding successes: one query (AuditRecordRepository.loginHistory).
 */
export async function addStoredHistory(
  repos: Repositories,
  tenantId: string,
  index: LoginHistoryIndex,
  keys: readonly LoginHistoryKey[],
  since: Date,
): Promise<void> {
  const rows = await repos.auditRecords.loginHistory(
    tenantId,
    { userIds: valuesOf(keys, 'user:'), usernames: valuesOf(keys, 'username:') },
    valuesOf(keys, 'ip:'),
    since,
  );
  const wanted = new Set(keys);
  for (const row of rows) index.add(row, row.sequence, (key) => wanted.has(key));
}

function valuesOf(keys: readonly LoginHistoryKey[], prefix: 'user:' | 'username:' | 'ip:'): string[] {
  return keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}
