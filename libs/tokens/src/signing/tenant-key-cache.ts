import { importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { TenantId } from '@gatehouse/protocol';
import { decryptPrivateKey } from '../keys/key-encryption.js';
import { privateKeyAssociatedData } from '../keys/key-rotation.js';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';
import type { SigningKeyStorage, StoredSigningKey } from '../keys/signing-key.storage.js';

export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: CryptoKey;
}

interface TenantKeys {
  readonly loadedAt: number;
  readonly rows: readonly StoredSigningKey[];
  readonly privateKeys: Map<string, Promise<CryptoKey>>;
  readonly publicKeys: Map<string, Promise<CryptoKey>>;
}

/**
 * A tenant's keys in memory (design.md, the hot path): rows are loaded once per
 * refresh interval, each private key decrypted and imported once. The signing
 * key is chosen on every call from the cached rows, so a pre-published key
 * takes over at its activation time without a reload.
 */
export class TenantKeyCache {
  private readonly tenants = new Map<TenantId, Promise<TenantKeys>>();
  private readonly now: () => Date;
  private readonly refreshIntervalMs: number;

  constructor(
    private readonly storage: Pick<SigningKeyStorage, 'findPublished'>,
    private readonly keyEncryptionKey: Buffer,
    options: { now?: () => Date; refreshIntervalMs?: number } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.refreshIntervalMs = options.refreshIntervalMs ?? 60_000;
  }

  async signingKey(tenantId: TenantId, alg: SigningAlgorithm): Promise<SigningKey> {
    const keys = await this.load(tenantId);
    const now = this.now().getTime();
    const current = keys.rows
      .filter((row) => row.alg === alg && row.activatesAt.getTime() <= now)
      .sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime())[0];
    if (!current) throw new Error(`tenant ${tenantId} has no active ${alg} signing key`);
    let privateKey = keys.privateKeys.get(current.kid);
    if (!privateKey) {
      const pem = decryptPrivateKey(this.keyEncryptionKey, current.privateKeyCiphertext, privateKeyAssociatedData(tenantId, current.kid));
      privateKey = importPKCS8(pem, alg);
      keys.privateKeys.set(current.kid, privateKey);
    }
    return { kid: current.kid, alg, privateKey: await privateKey };
  }

  async jwks(tenantId: TenantId): Promise<{ keys: JWK[] }> {
    const keys = await this.load(tenantId);
    const now = this.now().getTime();
    return {
      keys: keys.rows
        .filter((row) => row.expiresAt === null || row.expiresAt.getTime() > now)
        .map((row) => ({ kty: row.publicJwk.kty, ...publicMembers(row.publicJwk), kid: row.kid, alg: row.alg, use: 'sig' })),
    };
  }

  /** For verifying tokens we issued; an unknown kid triggers one reload (a key rotated in elsewhere). */
  async verificationKey(tenantId: TenantId, kid: string): Promise<CryptoKey | null> {
    let keys = await this.load(tenantId);
    let row = keys.rows.find((candidate) => candidate.kid === kid);
    if (!row && Date.now() - keys.loadedAt > 1000) {
      this.invalidate(tenantId);
      keys = await this.load(tenantId);
      row = keys.rows.find((candidate) => candidate.kid === kid);
    }
    if (!row) return null;
    let key = keys.publicKeys.get(kid);
    if (!key) {
      key = importJWK(row.publicJwk, row.alg) as Promise<CryptoKey>;
      keys.publicKeys.set(kid, key);
    }
    return key;
  }

  invalidate(tenantId: TenantId): void {
    this.tenants.delete(tenantId);
  }

  private load(tenantId: TenantId): Promise<TenantKeys> {
    const cached = this.tenants.get(tenantId);
    if (cached) {
      void cached.then((keys) => {
        if (Date.now() - keys.loadedAt > this.refreshIntervalMs && this.tenants.get(tenantId) === cached) this.tenants.delete(tenantId);
      });
      return cached;
    }
    // Concurrent first calls share this one load.
    const loading = this.storage
      .findPublished(tenantId, this.now())
      .then((rows) => ({ loadedAt: Date.now(), rows, privateKeys: new Map(), publicKeys: new Map() }));
    this.tenants.set(tenantId, loading);
    loading.catch(() => this.tenants.delete(tenantId));
    return loading;
  }
}

function publicMembers(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k: _k, ...rest } = jwk;
  return rest;
}
