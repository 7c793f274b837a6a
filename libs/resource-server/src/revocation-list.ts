import { decodeRevocation, REVOCATION_CHANNEL } from '@gatehouse/protocol';

/** What a Redis client (ioredis, or node-redis in legacy mode) offers for pub/sub: a dedicated subscriber connection. */
export interface RevocationSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

export interface RevocationListOptions {
  /** How long a revoked jti or grant is remembered: at least the longest access-token lifetime. 24 h by default. */
  readonly retentionSeconds?: number;
  /** A bound on memory: the oldest entries go first. 100,000 by default. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

const DEFAULT_RETENTION_SECONDS = 24 * 3600;
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The tokens and grants Gatehouse announced as revoked (its Redis revocation channel), so a resource
 * server refuses them within a second of the revocation instead of at their `exp`.
 */
export class RevocationList {
  private readonly jtis = new Map<string, number>();
  private readonly grants = new Map<string, number>();
  private readonly retentionMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: RevocationListOptions = {}) {
    this.retentionMs = (options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /** Subscribes to the revocation channel on a dedicated Redis connection (a subscribed connection serves nothing else). */
  async listen(subscriber: RevocationSubscriber): Promise<void> {
    subscriber.on('message', (channel, message) => {
      if (channel !== REVOCATION_CHANNEL) return;
      const revocation = decodeRevocation(message);
      if (revocation) this.add(revocation);
    });
    await subscriber.subscribe(REVOCATION_CHANNEL);
  }

  add(revocation: { readonly jtis?: readonly string[]; readonly grantIds?: readonly string[] }): void {
    const until = this.now() + this.retentionMs;
    for (const jti of revocation.jtis ?? []) remember(this.jtis, jti, until, this.maxEntries);
    for (const grant of revocation.grantIds ?? []) remember(this.grants, grant, until, this.maxEntries);
  }

  /** Whether the token's `jti`, or the grant it came from (`grant_id`), was revoked. */
  isRevoked(claims: Readonly<Record<string, unknown>>): boolean {
    const now = this.now();
    return listed(this.jtis, claims['jti'], now) || listed(this.grants, claims['grant_id'], now);
  }
}

function remember(entries: Map<string, number>, key: string, until: number, maxEntries: number): void {
  entries.delete(key);
  entries.set(key, until);
  // Insertion order is age order: the first key is the oldest.
  while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
}

function listed(entries: Map<string, number>, key: unknown, now: number): boolean {
  if (typeof key !== 'string') return false;
  const until = entries.get(key);
  if (until === undefined) return false;
  if (until > now) return true;
  entries.delete(key);
  return false;
}
