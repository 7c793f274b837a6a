import type { JWK } from 'jose';
import type { TenantId } from '@gatehouse/protocol';
import type { SigningAlgorithm } from './signing-algorithm.js';

export interface StoredSigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: JWK;
  readonly privateKeyCiphertext: string;
  /** The key signs from this instant; published in the JWKS from creation. */
  readonly activatesAt: Date;
  /** Set when a successor takes over signing. */
  readonly deactivatesAt: Date | null;
  /** Removed from the JWKS after this instant: every token it signed has expired. */
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
}

export type NewSigningKey = Omit<StoredSigningKey, 'createdAt' | 'deactivatesAt' | 'expiresAt'>;

/** What the key store needs from persistence; implemented in libs/persistence. */
export interface SigningKeyStorage {
  insert(tenantId: TenantId, key: NewSigningKey): Promise<void>;
  /** Keys still in the JWKS at `now` (not yet expired), newest first. */
  findPublished(tenantId: TenantId, now: Date): Promise<StoredSigningKey[]>;
  /** Marks every signing key of `alg` activated before `successorActivatesAt` as superseded. */
  supersede(tenantId: TenantId, alg: SigningAlgorithm, successorActivatesAt: Date, expiresAt: Date): Promise<number>;
}
