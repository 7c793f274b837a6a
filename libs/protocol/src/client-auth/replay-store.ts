/** RFC 7523 §3: an assertion's jti is single use until the assertion expires. */
export interface AssertionReplayStore {
  /** False if this jti was already used by this client and has not expired. */
  markUsed(clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
}

/** For a single process without Redis. */
export class InMemoryAssertionReplayStore implements AssertionReplayStore {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  markUsed(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const current = this.now();
    if (this.seen.size > 10_000) for (const [key, expiry] of this.seen) if (expiry <= current) this.seen.delete(key);
    const key = `${clientId}\u0000${jti}`;
    const existing = this.seen.get(key);
    if (existing !== undefined && existing > current) return Promise.resolve(false);
    this.seen.set(key, expiresAt.getTime());
    return Promise.resolve(true);
  }
}
