/**
 * RFC 7523 §3 item 7: a client assertion's jti is single use. The context builds this per request,
 * so an adapter can scope it by tenant (client ids are unique only within a tenant).
 */
export interface AssertionReplayStore {
  /** Records the jti; false if it was already used before expiresAt. */
  markUsed(clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
}

/** How often, at most, expired entries are swept out. */
const PRUNE_INTERVAL_MS = 10_000;

/** For a single process without Redis: entries live until their assertion expires. */
export class InMemoryAssertionReplayStore implements AssertionReplayStore {
  private readonly used = new Map<string, number>();
  private nextPruneAt = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  markUsed(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const now = this.now().getTime();
    this.prune(now);
    // JSON keeps "a:b" + "c" apart from "a" + "b:c".
    const key = JSON.stringify([clientId, jti]);
    const until = this.used.get(key);
    if (until !== undefined && until > now) return Promise.resolve(false);
    this.used.set(key, expiresAt.getTime());
    return Promise.resolve(true);
  }

  /** Entries still remembered; for tests and metrics. */
  get size(): number {
    return this.used.size;
  }

  private prune(now: number): void {
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + PRUNE_INTERVAL_MS;
    for (const [key, until] of this.used) if (until <= now) this.used.delete(key);
  }
}
