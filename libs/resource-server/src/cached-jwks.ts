import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface CachedJwksOptions {
  /** How long a fetched key set is used before it is fetched again. 10 minutes by default. */
  readonly cacheMaxAgeMs?: number;
  /** A token naming an unknown `kid` refetches the set at most this often. 30 s by default. */
  readonly cooldownMs?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

type ResolvedKey = Awaited<ReturnType<JWTVerifyGetKey>>;

/**
 * The issuer's JWKS, fetched once and cached like jose's remote set (refetched when stale, or when a
 * token names an unknown kid, at most once per cooldown), with the resolved key of each kid and alg
 * kept beside it: a token signed by a known key costs a map lookup, not a key-set search (issue 16's
 * guard budget). A refetch forgets every resolved key, so a key removed from the set stops verifying.
 */
export class CachedJwks {
  private readonly resolved = new Map<string, ResolvedKey>();
  private local: JWTVerifyGetKey | undefined;
  private fetchedAt = -Infinity;
  private reloading: Promise<void> | undefined;
  private readonly cacheMaxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(
    private readonly url: URL,
    private readonly options: CachedJwksOptions = {},
  ) {
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** jose's key resolver: synchronous for a known key of a fresh set. */
  readonly getKey: JWTVerifyGetKey = (header, token) => {
    if (this.now() - this.fetchedAt < this.cacheMaxAgeMs) {
      const known = this.resolved.get(`${header.kid ?? ''}\u0000${header.alg}`);
      if (known) return known;
    }
    return this.resolve(header, token);
  };

  private async resolve(...[header, token]: Parameters<JWTVerifyGetKey>): Promise<ResolvedKey> {
    const age = this.now() - this.fetchedAt;
    if (!this.local || age >= this.cacheMaxAgeMs) await this.reload();
    const id = `${header.kid ?? ''}\u0000${header.alg}`;
    try {
      const key = await this.local!(header, token);
      this.resolved.set(id, key);
      return key;
    } catch (error) {
      // An unknown kid may be a new key: refetch once per cooldown, then try again.
      if (this.now() - this.fetchedAt < this.cooldownMs) throw error;
      await this.reload();
      const key = await this.local!(header, token);
      this.resolved.set(id, key);
      return key;
    }
  }

  private reload(): Promise<void> {
    this.reloading ??= this.fetchSet().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async fetchSet(): Promise<void> {
    const response = await (this.options.fetch ?? fetch)(this.url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`the JWKS at ${this.url.href} answered ${response.status}`);
    const set = (await response.json()) as JSONWebKeySet;
    this.local = createLocalJWKSet(set);
    this.resolved.clear();
    this.fetchedAt = this.now();
  }
}
