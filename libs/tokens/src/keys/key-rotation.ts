import type { TenantId } from '@gatehouse/protocol';
import { encryptPrivateKey } from './key-encryption.js';
import { generateSigningKey, type GeneratedKey } from './key-generator.js';
import type { SigningKeySource } from './key-pool.js';
import type { SigningAlgorithm } from './signing-algorithm.js';
import type { SigningKeyStorage } from './signing-key.storage.js';

export interface RotationPolicy {
  /** How long a new key sits in the JWKS before it signs, so relying parties' caches pick it up. */
  readonly prepublicationSeconds: number;
  /** The longest lifetime of a token the tenant signs; a superseded key stays published this long. */
  readonly maxTokenLifetimeSeconds: number;
}

export interface CreatedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly activatesAt: Date;
}

/** Creates, encrypts and stores keys; rotation is the same step with a pre-publication delay. */
export class KeyRotation {
  constructor(
    private readonly keyEncryptionKey: Buffer,
    private readonly generate: SigningKeySource = generateSigningKey,
  ) {}

  /**
   * New key pairs for `algs`, before any transaction opens: RSA generation can take a second,
   * and a transaction must not hold its connection that long.
   */
  async generateKeys(algs: readonly SigningAlgorithm[]): Promise<GeneratedKey[]> {
    return Promise.all(algs.map((alg) => this.generate(alg)));
  }

  /** A new tenant's first keys sign immediately: nothing can have cached an older JWKS. */
  async createInitialKeys(
    storage: SigningKeyStorage,
    tenantId: TenantId,
    algs: readonly SigningAlgorithm[],
    now: Date,
  ): Promise<CreatedKey[]> {
    return this.storeInitialKeys(storage, tenantId, await this.generateKeys(algs), now);
  }

  /** Stores keys from `generateKeys` as a new tenant's first, active at once. */
  async storeInitialKeys(storage: SigningKeyStorage, tenantId: TenantId, keys: readonly GeneratedKey[], now: Date): Promise<CreatedKey[]> {
    const created: CreatedKey[] = [];
    for (const key of keys) created.push(await this.storeKey(storage, tenantId, key, now));
    return created;
  }

  async rotate(
    storage: SigningKeyStorage,
    tenantId: TenantId,
    algs: readonly SigningAlgorithm[],
    now: Date,
    policy: RotationPolicy,
  ): Promise<CreatedKey[]> {
    const activatesAt = new Date(now.getTime() + policy.prepublicationSeconds * 1000);
    const expiresAt = new Date(activatesAt.getTime() + policy.maxTokenLifetimeSeconds * 1000);
    const created: CreatedKey[] = [];
    for (const alg of algs) {
      await storage.supersede(tenantId, alg, activatesAt, expiresAt);
      created.push(await this.store(storage, tenantId, alg, activatesAt));
    }
    return created;
  }

  private async store(storage: SigningKeyStorage, tenantId: TenantId, alg: SigningAlgorithm, activatesAt: Date): Promise<CreatedKey> {
    return this.storeKey(storage, tenantId, await this.generate(alg), activatesAt);
  }

  private async storeKey(storage: SigningKeyStorage, tenantId: TenantId, key: GeneratedKey, activatesAt: Date): Promise<CreatedKey> {
    const alg = key.alg;
    await storage.insert(tenantId, {
      kid: key.kid,
      alg,
      publicJwk: key.publicJwk,
      privateKeyCiphertext: encryptPrivateKey(this.keyEncryptionKey, key.privateKeyPkcs8, privateKeyAssociatedData(tenantId, key.kid)),
      activatesAt,
    });
    return { kid: key.kid, alg, activatesAt };
  }
}

export function privateKeyAssociatedData(tenantId: TenantId, kid: string): string {
  return `gatehouse:signing-key:${tenantId}:${kid}`;
}
