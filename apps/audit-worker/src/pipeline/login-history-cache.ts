import type { ChainHead, LockedChainHead, Repositories } from '@gatehouse/persistence';
import { LoginHistoryIndex, type LoginHistoryKey, type LoginSubject, type RiskPolicy } from '@gatehouse/risk';
import { addStoredHistory, keysOf } from './stored-login-history.js';

export interface LoginHistoryCacheLimits {
  /** Attempts held across all tenants; past this, the oldest are pruned, then whole tenants dropped. */
  readonly maxAttempts: number;
  readonly maxTenants: number;
  /** Records appended by someone else (another worker) read to catch up; a longer gap starts over. */
  readonly maxCatchUp: number;
  /** How much earlier than the latest batch's history pruning keeps, so slightly late events need no reload. */
  readonly pruneMarginMs: number;
}

export const DEFAULT_LOGIN_HISTORY_LIMITS: LoginHistoryCacheLimits = Object.freeze({
  maxAttempts: 200_000,
  maxTenants: 100,
  maxCatchUp: 20_000,
  pruneMarginMs: 60_000,
});

/** One tenant's held history: complete for every loaded key, through `sequence`. */
interface TenantHistory {
  readonly index: LoginHistoryIndex;
  readonly policyKey: string;
  readonly anchorSequence: number;
  /** The chain position the index reflects: every login record up to it, for each loaded key. */
  sequence: number;
  /** Per key, the time from which the index holds all its attempts (before it: a user's deciding successes). */
  readonly loadedSince: Map<LoginHistoryKey, number>;
  /** The history start of the latest batch: where pruning may cut, less the margin. */
  latestSince: number;
  /** Where the last pruning cut (or where the history started). */
  prunedAt: number;
}

/**
 * The audit worker's login history, kept across batches (docs/adr/0023). Rebuilding it for each
 * batch read every stored attempt of the batch's users and addresses inside the velocity windows,
 * so a busy tenant's batches grew slower with its history. Held here, a batch reads only the
 * subjects it has not seen, and the records another worker appended meanwhile.
 *
 * It is exact, not approximate: a batch is scored on the same history as without it. Each loaded
 * key holds every login record of that key from its load time on (and the user's earlier deciding
 * successes), checked against the chain head under its lock: a head moved by someone else is read
 * up to, a retention cut (a new anchor), a changed risk policy or an event older than what is held
 * starts the tenant over, and a failed transaction drops it.
 */
export class LoginHistoryCache {
  private readonly tenants = new Map<string, TenantHistory>();
  private readonly leased = new Set<string>();

  constructor(private readonly limits: LoginHistoryCacheLimits = DEFAULT_LOGIN_HISTORY_LIMITS) {}

  /** The tenant's history for one batch, or null while another batch of the same tenant holds it. */
  lease(tenantId: string): LoginHistoryLease | null {
    if (this.leased.has(tenantId)) return null;
    this.leased.add(tenantId);
    return new LoginHistoryLease(this, tenantId);
  }

  /** Attempts held, all tenants. */
  get size(): number {
    let total = 0;
    for (const history of this.tenants.values()) total += history.index.size;
    return total;
  }

  /** @internal the lease's view of the store */
  held(tenantId: string): TenantHistory | undefined {
    const history = this.tenants.get(tenantId);
    // Most recently used last: the first is the one dropped when there are too many.
    if (history) {
      this.tenants.delete(tenantId);
      this.tenants.set(tenantId, history);
    }
    return history;
  }

  /** @internal */
  hold(tenantId: string, history: TenantHistory): void {
    this.tenants.delete(tenantId);
    this.tenants.set(tenantId, history);
    while (this.tenants.size > this.limits.maxTenants) this.tenants.delete(this.tenants.keys().next().value!);
  }

  /** @internal */
  drop(tenantId: string): void {
    this.tenants.delete(tenantId);
  }

  /** @internal */
  release(tenantId: string): void {
    this.leased.delete(tenantId);
  }

  /**
   * @internal After a batch: pruned once a window's worth of time has passed since the last cut, so
   * a key holds about what the store's query would give; then within the limits again, pruning this
   * tenant first, then dropping the least used.
   */
  trim(tenantId: string): void {
    const history = this.tenants.get(tenantId);
    if (history && history.latestSince > -Infinity) {
      const horizon = history.latestSince - this.limits.pruneMarginMs;
      const { velocityWindowSeconds, credentialStuffingWindowSeconds } = history.index.policy;
      const windowMs = Math.max(velocityWindowSeconds, credentialStuffingWindowSeconds) * 1000;
      if (horizon - history.prunedAt >= windowMs || this.size > this.limits.maxAttempts) prune(history, horizon);
    }
    let size = this.size;
    for (const [other, held] of this.tenants) {
      if (size <= this.limits.maxAttempts) break;
      size -= held.index.size;
      this.tenants.delete(other);
    }
  }

  /** @internal */
  get maxCatchUp(): number {
    return this.limits.maxCatchUp;
  }
}

function prune(history: TenantHistory, horizon: number): void {
  history.index.prune(new Date(horizon));
  for (const [key, since] of history.loadedSince) {
    if (!history.index.holds(key)) history.loadedSince.delete(key);
    else if (since < horizon) history.loadedSince.set(key, horizon);
  }
  history.prunedAt = horizon;
}

/** One batch's hold on a tenant's history: `historyFor` under the chain-head lock, then `committed` or `discard`, then `release`. */
export class LoginHistoryLease {
  private started: ChainHead | null = null;

  constructor(
    private readonly cache: LoginHistoryCache,
    private readonly tenantId: string,
  ) {}

  /**
   * The history for a batch of attempts by `subjects`, the earliest of whose windows starts at
   * `since`, as of `head` (read under its lock): the held one, brought up to date.
   */
  async historyFor(
    repos: Repositories,
    head: LockedChainHead,
    subjects: readonly LoginSubject[],
    since: Date,
    policy: RiskPolicy,
  ): Promise<LoginHistoryIndex> {
    const history = await this.upToDate(repos, head, policy);
    const keys = keysOf(subjects);
    // An event older than what is held needs history from before it: start over.
    const current = keys.some((key) => (history.loadedSince.get(key) ?? -Infinity) > since.getTime()) ? this.fresh(head, policy) : history;
    const missing = keys.filter((key) => !current.loadedSince.has(key));
    if (missing.length > 0) {
      await addStoredHistory(repos, this.tenantId, current.index, missing, since);
      for (const key of missing) current.loadedSince.set(key, since.getTime());
    }
    current.latestSince = Math.max(current.latestSince, since.getTime());
    if (current.prunedAt === -Infinity) current.prunedAt = since.getTime();
    this.started = head;
    return current.index;
  }

  /** The batch's transaction committed, its login attempts added to the index while it was scored. */
  committed(start: ChainHead, end: ChainHead): void {
    const history = this.cache.held(this.tenantId);
    if (!history) return;
    if (history.sequence === start.sequence) history.sequence = end.sequence;
    this.cache.trim(this.tenantId);
  }

  /** The transaction failed: the index may hold attempts that were never stored. */
  discard(): void {
    if (this.started) this.cache.drop(this.tenantId);
  }

  release(): void {
    this.cache.release(this.tenantId);
  }

  private async upToDate(repos: Repositories, head: LockedChainHead, policy: RiskPolicy): Promise<TenantHistory> {
    const held = this.cache.held(this.tenantId);
    const stale =
      !held ||
      held.anchorSequence !== head.anchorSequence ||
      held.policyKey !== JSON.stringify(policy) ||
      head.sequence < held.sequence ||
      head.sequence - held.sequence > this.cache.maxCatchUp;
    if (stale) return this.fresh(head, policy);
    if (head.sequence > held.sequence) {
      for (const row of await repos.auditRecords.loginRecordsBetween(this.tenantId, held.sequence, head.sequence)) {
        held.index.add(row, row.sequence, (key) => held.loadedSince.has(key));
      }
      held.sequence = head.sequence;
    }
    return held;
  }

  private fresh(head: LockedChainHead, policy: RiskPolicy): TenantHistory {
    const history: TenantHistory = {
      index: new LoginHistoryIndex([], policy),
      policyKey: JSON.stringify(policy),
      anchorSequence: head.anchorSequence,
      sequence: head.sequence,
      loadedSince: new Map(),
      latestSince: -Infinity,
      prunedAt: -Infinity,
    };
    this.cache.hold(this.tenantId, history);
    return history;
  }
}
