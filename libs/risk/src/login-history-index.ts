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

/** One of the three ways an attempt is looked up: by user id, by username, by IP. */
export type LoginHistoryKey = `user:${string}` | `username:${string}` | `ip:${string}`;

/** The keys an attempt by `who` is filed under. */
export function loginHistoryKeys(who: {
  userId?: string | null | undefined;
  username?: string | null | undefined;
  ip?: string | null | undefined;
}): LoginHistoryKey[] {
  const keys: LoginHistoryKey[] = [];
  if (who.userId) keys.push(`user:${who.userId}`);
  if (who.username) keys.push(`username:${who.username}`);
  if (who.ip) keys.push(`ip:${who.ip}`);
  return keys;
}

interface Entry {
  readonly attempt: LoginAttempt;
  /** Position in the order the attempts were recorded (the stored sequence, then the batch's order). */
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
 *
 * The index may hold more of a subject's records than that subset (the audit worker keeps one
 * across batches, see its LoginHistoryCache): any superset of it drawn from the same records
 * gives the same history, because `historyFromAttempts` keeps only what the rules read.
 */
export class LoginHistoryIndex {
  private readonly byKey = new Map<LoginHistoryKey, Entry[]>();
  /** Every entry by ordinal: an attempt given twice (by two lookups) is filed once. */
  private readonly byOrdinal = new Map<number, Entry>();
  private readonly userWindowMs: number;
  private readonly ipWindowMs: number;
  private next = 0;

  constructor(
    attempts: Iterable<LoginAttempt>,
    readonly policy: RiskPolicy,
  ) {
    this.userWindowMs = policy.velocityWindowSeconds * 1000;
    this.ipWindowMs = policy.credentialStuffingWindowSeconds * 1000;
    for (const attempt of attempts) this.add(attempt);
  }

  /** Whether any attempt is filed under `key`. */
  holds(key: LoginHistoryKey): boolean {
    return this.byKey.has(key);
  }

  /** How many attempts the index holds. */
  get size(): number {
    return this.byOrdinal.size;
  }

  /**
   * Remembers an attempt (a stored one, or one of the batch just scored). `ordinal` is its
   * place in the chain (the record's sequence); without one it goes after everything given so
   * far. `only` files it under those of its keys alone (the others' histories are not held).
   */
  add(attempt: LoginAttempt, ordinal = this.next, only?: (key: LoginHistoryKey) => boolean): void {
    this.next = Math.max(this.next, ordinal + 1);
    const keys = only ? loginHistoryKeys(attempt).filter(only) : loginHistoryKeys(attempt);
    // Filed under no key, it could never be found: not held at all.
    if (keys.length === 0) return;
    const known = this.byOrdinal.get(ordinal);
    const entry = known ?? { attempt, ordinal };
    if (!known) this.byOrdinal.set(ordinal, entry);
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (!list) this.byKey.set(key, [entry]);
      // Only an attempt given before can already be in a list.
      else if (!known || !list.includes(entry)) list.push(entry);
    }
  }

  /**
   * Forgets what no attempt at or after `horizon` + W can need: attempts before `horizon`,
   * except each user's earlier successes that decide its countries, devices and last login
   * (the first success per country and per device, and the latest one).
   */
  prune(horizon: Date): void {
    const cut = horizon.getTime();
    for (const [key, list] of this.byKey) {
      const keep = key.startsWith('user:') ? keptFromUser(list, cut) : list.filter((entry) => entry.attempt.occurredAt.getTime() >= cut);
      if (keep.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, keep);
    }
    const held = new Set<Entry>();
    for (const list of this.byKey.values()) for (const entry of list) held.add(entry);
    for (const [ordinal, entry] of this.byOrdinal) if (!held.has(entry)) this.byOrdinal.delete(ordinal);
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
    if (who.userId !== undefined) take(this.byKey.get(`user:${who.userId}`), false);
    if (who.username !== undefined) take(this.byKey.get(`username:${who.username}`), true);
    if (who.ip !== undefined) take(this.byKey.get(`ip:${who.ip}`), true);
    candidates.sort((a, b) => a.ordinal - b.ordinal);
    return historyFromAttempts(
      candidates.map((entry) => entry.attempt),
      who,
      at,
      { user: new Date(at.getTime() - this.userWindowMs), ip: new Date(at.getTime() - this.ipWindowMs) },
    );
  }
}

/** A user's entries from `cut` on, and before it the successes the rules can still need. */
function keptFromUser(list: readonly Entry[], cut: number): Entry[] {
  const keep = new Set<Entry>();
  const firstByCountry = new Map<string, Entry>();
  const firstByDevice = new Map<string, Entry>();
  let latest: Entry | undefined;
  const earlier = (a: Entry, b: Entry) => a.attempt.occurredAt.getTime() - b.attempt.occurredAt.getTime() || a.ordinal - b.ordinal;
  for (const entry of list) {
    const { attempt } = entry;
    if (attempt.occurredAt.getTime() >= cut) {
      keep.add(entry);
      continue;
    }
    if (attempt.type !== 'login.succeeded' || attempt.outcome !== 'success') continue;
    if (attempt.geo.kind === 'located') keepFirst(firstByCountry, attempt.geo.country, entry, earlier);
    if (attempt.deviceId) keepFirst(firstByDevice, attempt.deviceId, entry, earlier);
    if (!latest || earlier(latest, entry) < 0) latest = entry;
  }
  for (const entry of [...firstByCountry.values(), ...firstByDevice.values()]) keep.add(entry);
  if (latest) keep.add(latest);
  return list.filter((entry) => keep.has(entry));
}

function keepFirst(map: Map<string, Entry>, key: string, entry: Entry, earlier: (a: Entry, b: Entry) => number): void {
  const current = map.get(key);
  if (!current || earlier(entry, current) < 0) map.set(key, entry);
}
