import type { LoginHistory } from './risk-signals.js';
import type { RiskPolicy } from './risk-policy.js';
import { historyFromAttempts, type LoginAttempt } from './history-from-attempts.js';
import { historyStart } from './score-login.js';

/** Who an attempt is for and where it came from (usernames lower-cased, as the records store them). */
export interface LoginSubject {
  readonly userId?: string | undefined;
  readonly username?: string | undefined;
  readonly ip?: string | undefined;
}

interface Entry {
  readonly attempt: LoginAttempt;
  /** Position in the order the attempts were given (stored sequence, then the batch's order). */
  readonly ordinal: number;
}

/**
 * The login history of a batch of attempts, built once from one query and updated as the
 * batch is scored in order, so that each attempt sees what it would have seen scored on its
 * own after the earlier ones were stored.
 *
 * "On its own" is `loginHistory` for one attempt at time t, W = the longer velocity window:
 * every earlier successful login with the same user id, and the attempts since t - W for the
 * same user id, username or IP. `historyFor` hands exactly that subset (plus attempts the rules
 * ignore anyway: older failures of the user) to `historyFromAttempts`, in the given order, so
 * the rules and their tie-breaks are the ones the login page uses. Lookups go through maps by
 * user id, username and IP instead of scanning the batch's whole history for every attempt.
 */
export class LoginHistoryIndex {
  private readonly byUserId = new Map<string, Entry[]>();
  private readonly byUsername = new Map<string, Entry[]>();
  private readonly byIp = new Map<string, Entry[]>();
  private readonly userWindowMs: number;
  private readonly ipWindowMs: number;
  private next = 0;

  constructor(
    attempts: Iterable<LoginAttempt>,
    private readonly policy: RiskPolicy,
  ) {
    this.userWindowMs = policy.velocityWindowSeconds * 1000;
    this.ipWindowMs = policy.credentialStuffingWindowSeconds * 1000;
    for (const attempt of attempts) this.add(attempt);
  }

  /** Remembers an attempt (a stored one, or one of the batch just scored). */
  add(attempt: LoginAttempt): void {
    const entry: Entry = { attempt, ordinal: this.next++ };
    if (attempt.userId !== null) push(this.byUserId, attempt.userId, entry);
    if (attempt.username !== null) push(this.byUsername, attempt.username, entry);
    if (attempt.ip !== null) push(this.byIp, attempt.ip, entry);
  }

  /** The history of an attempt by `who` at `at`: what `historyFromAttempts` gives from a query for it alone. */
  historyFor(who: LoginSubject, at: Date): LoginHistory {
    const since = historyStart(at, this.policy).getTime();
    const seen = new Set<Entry>();
    const candidates: Entry[] = [];
    const take = (entries: readonly Entry[] | undefined, recentOnly: boolean) => {
      for (const entry of entries ?? []) {
        if (recentOnly && entry.attempt.occurredAt.getTime() < since) continue;
        if (seen.has(entry)) continue;
        seen.add(entry);
        candidates.push(entry);
      }
    };
    // The user id reaches back to every earlier successful login; username and IP only to t - W.
    if (who.userId !== undefined) take(this.byUserId.get(who.userId), false);
    if (who.username !== undefined) take(this.byUsername.get(who.username), true);
    if (who.ip !== undefined) take(this.byIp.get(who.ip), true);
    candidates.sort((a, b) => a.ordinal - b.ordinal);
    return historyFromAttempts(
      candidates.map((entry) => entry.attempt),
      who,
      at,
      { user: new Date(at.getTime() - this.userWindowMs), ip: new Date(at.getTime() - this.ipWindowMs) },
    );
  }
}

function push(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
