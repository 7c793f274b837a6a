import type { CryptoKey, JWK } from 'jose';
import type { TenantId } from '@gatehouse/protocol';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';
import type { SigningKeyStorage } from '../keys/signing-key.storage.js';
import { publicJwk, TenantKeySet, type ActiveSigningKey } from './tenant-key-set.js';

export interface TenantKeyCacheOptions {
  readonly now?: () => Date;
  /** Keys read longer ago than this are read again, so rotations on other instances are seen. */
  readonly refreshIntervalMs?: number;
  /**
   * A kid (or algorithm) the cached keys lack triggers a re-read at most this often, so tokens
   * carrying made-up kids cannot turn every request into a storage read.
   */
  readonly unknownKeyRetryMs?: number;
  /** Tenants whose keys are held at most; the least recently loaded go first. */
  readonly maxTenants?: number;
}

/**
 * Each tenant's signing keys, held in memory: the hot path never decrypts or imports a key per
 * request (design.md, "The hot path"). Keys are read from storage on first use, after
 * `invalidate` (called after a rotation), when older than `refreshIntervalMs`, and when a kid is
 * unknown. Which key signs is recomputed from the cached rows on every call, so a pre-published
 * successor takes over at its activation time without a read.
 */
export class TenantKeyCache {
  /** Promises, not sets: concurrent first calls for a tenant share one read. */
  private readonly sets = new Map<TenantId, Promise<TenantKeySet>>();
  private readonly now: () => Date;
  private readonly refreshIntervalMs: number;
  private readonly unknownKeyRetryMs: number;
  private readonly maxTenants: number;

  constructor(
    private readonly storage: Pick<SigningKeyStorage, 'findPublished'>,
    private readonly keyEncryptionKey: Buffer,
    options: TenantKeyCacheOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.refreshIntervalMs = options.refreshIntervalMs ?? 60_000;
    this.unknownKeyRetryMs = options.unknownKeyRetryMs ?? 1_000;
    this.maxTenants = options.maxTenants ?? 20_000;
  }

  /** The tenant's key that signs with `alg` now; throws when it has none. */
  async signingKey(tenantId: TenantId, alg: SigningAlgorithm): Promise<ActiveSigningKey> {
    const now = this.now();
    const [set, row] = await this.lookUp(tenantId, now, (keys) => keys.current(alg, now));
    if (!row) throw new Error(`Tenant ${tenantId} has no active ${alg} signing key`);
    return { kid: row.kid, alg: row.alg, privateKey: await set.privateKey(row) };
  }

  /** The tenant's JWKS: every published key, current, pre-published and superseded alike. */
  async jwks(tenantId: TenantId): Promise<{ keys: JWK[] }> {
    const now = this.now();
    const [, rows] = await this.lookUp(tenantId, now, (keys) => keys.published(now));
    return { keys: (rows ?? []).map(publicJwk) };
  }

  /** The public key to verify one of the tenant's own tokens with, or null for an unknown kid. */
  async verificationKey(tenantId: TenantId, kid: string): Promise<CryptoKey | null> {
    const now = this.now();
    const [set, row] = await this.lookUp(tenantId, now, (keys) => keys.find(kid, now));
    return row ? set.publicKey(row) : null;
  }

  /** Forgets the tenant's keys; the next call reads and imports them again. */
  invalidate(tenantId: TenantId): void {
    this.sets.delete(tenantId);
  }

  /** Forgets every tenant's keys (the config-change channel reconnected). */
  clear(): void {
    this.sets.clear();
  }

  /** Picks from the cached keys, reading them again when stale, or once more when `pick` finds nothing. */
  private async lookUp<T>(
    tenantId: TenantId,
    now: Date,
    pick: (keys: TenantKeySet) => T | undefined,
  ): Promise<[TenantKeySet, T | undefined]> {
    let pending = this.sets.get(tenantId) ?? this.load(tenantId, now);
    let set = await pending;
    if (now.getTime() - set.loadedAt >= this.refreshIntervalMs) {
      pending = this.replace(tenantId, pending, set, now);
      set = await pending;
    }
    let found = pick(set);
    if (found === undefined && now.getTime() - set.loadedAt >= this.unknownKeyRetryMs) {
      set = await this.replace(tenantId, pending, set, now);
      found = pick(set);
    }
    return [set, found];
  }

  /** Reads again unless another caller already replaced `stale`, in which case its read is shared. */
  private replace(tenantId: TenantId, stale: Promise<TenantKeySet>, previous: TenantKeySet, now: Date): Promise<TenantKeySet> {
    const current = this.sets.get(tenantId);
    return current !== undefined && current !== stale ? current : this.load(tenantId, now, previous);
  }

  private load(tenantId: TenantId, now: Date, previous?: TenantKeySet): Promise<TenantKeySet> {
    const loading = this.storage
      .findPublished(tenantId, now)
      .then((rows) => new TenantKeySet(tenantId, rows, now.getTime(), this.keyEncryptionKey, previous));
    this.sets.delete(tenantId);
    if (this.sets.size >= this.maxTenants) this.sets.delete(this.sets.keys().next().value as TenantId);
    this.sets.set(tenantId, loading);
    // A failed read is not cached: the next call tries again.
    loading.catch(() => {
      if (this.sets.get(tenantId) === loading) this.sets.delete(tenantId);
    });
    return loading;
  }
}
