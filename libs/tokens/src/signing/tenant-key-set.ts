import { createPrivateKey, type KeyObject } from 'node:crypto';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { TenantId } from '@gatehouse/protocol';
import { decryptPrivateKey } from '../keys/key-encryption.js';
import { privateKeyAssociatedData } from '../keys/key-rotation.js';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';
import type { StoredSigningKey } from '../keys/signing-key.storage.js';

/** A key ready to sign with: what the JWT minters take. */
export interface ActiveSigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  /** A node:crypto key: the JWT signer signs with it directly (compact-jwt.signer.ts). */
  readonly privateKey: KeyObject;
}

/**
 * One tenant's published keys as read at `loadedAt`. Each key is decrypted and imported at most
 * once; imports are kept as promises so concurrent first uses share one import. A refreshed set
 * takes over the imports of the set it replaces for keys that did not change.
 */
export class TenantKeySet {
  private readonly privateKeys = new Map<string, Promise<KeyObject>>();
  private readonly publicKeys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly tenantId: TenantId,
    private readonly rows: readonly StoredSigningKey[],
    readonly loadedAt: number,
    private readonly keyEncryptionKey: Buffer,
    previous?: TenantKeySet,
  ) {
    for (const row of previous?.rows ?? []) {
      const same = rows.find((r) => r.kid === row.kid && r.privateKeyCiphertext === row.privateKeyCiphertext);
      if (!same) continue;
      const privateKey = previous?.privateKeys.get(row.kid);
      const publicKey = previous?.publicKeys.get(row.kid);
      if (privateKey) this.privateKeys.set(row.kid, privateKey);
      if (publicKey) this.publicKeys.set(row.kid, publicKey);
    }
  }

  /** Keys in the JWKS at `now`: rows read earlier may have expired since. */
  published(now: Date): StoredSigningKey[] {
    return this.rows.filter((row) => row.expiresAt === null || row.expiresAt.getTime() > now.getTime());
  }

  /**
   * The key that signs with `alg` at `now`: the latest `activatesAt` not in the future. A
   * pre-published successor is in the JWKS but does not sign until its activation time.
   */
  current(alg: SigningAlgorithm, now: Date): StoredSigningKey | undefined {
    let best: StoredSigningKey | undefined;
    for (const row of this.published(now)) {
      if (row.alg !== alg || row.activatesAt.getTime() > now.getTime()) continue;
      if (!best || isLater(row, best)) best = row;
    }
    return best;
  }

  find(kid: string, now: Date): StoredSigningKey | undefined {
    return this.published(now).find((row) => row.kid === kid);
  }

  privateKey(row: StoredSigningKey): Promise<KeyObject> {
    // A promise: a key that does not decrypt or fit rejects, as the shared import did, rather than throws.
    return memo(this.privateKeys, row.kid, () => new Promise<KeyObject>((resolve) => resolve(this.decrypted(row))));
  }

  private decrypted(row: StoredSigningKey): KeyObject {
    let pkcs8: string;
    try {
      pkcs8 = decryptPrivateKey(this.keyEncryptionKey, row.privateKeyCiphertext, privateKeyAssociatedData(this.tenantId, row.kid));
    } catch (cause) {
      // Another key-encryption key, or a row that belongs to another tenant or kid.
      throw new Error(`Signing key ${row.kid} of tenant ${this.tenantId} does not decrypt`, { cause });
    }
    return privateKeyFor(pkcs8, row.alg);
  }

  publicKey(row: StoredSigningKey): Promise<CryptoKey> {
    return memo(this.publicKeys, row.kid, async () => {
      const key = await importJWK(publicJwk(row), row.alg);
      if (key instanceof Uint8Array) throw new Error(`Signing key ${row.kid} is not an asymmetric key`);
      return key;
    });
  }
}

/** What each algorithm signs with (RFC 7518 §3.3–3.5, RFC 8037 §3.1): the key type, and the curve where there is one. */
const KEY_TYPES: Readonly<Record<SigningAlgorithm, { readonly types: readonly string[]; readonly curve?: string }>> = {
  ES256: { types: ['ec'], curve: 'prime256v1' },
  RS256: { types: ['rsa'] },
  PS256: { types: ['rsa', 'rsa-pss'] },
  EdDSA: { types: ['ed25519'] },
};

/** RSA keys shorter than this sign nothing (RFC 7518 §3.3, §3.5). */
const MIN_RSA_BITS = 2048;

/**
 * The PKCS #8 key as a node:crypto KeyObject, made directly: turning a non-extractable WebCrypto key
 * into one (KeyObject.from) is deprecated from Node 24 (DEP0204). Refused unless it fits `alg`.
 */
export function privateKeyFor(pkcs8: string, alg: SigningAlgorithm): KeyObject {
  const key = createPrivateKey(pkcs8);
  const expected = KEY_TYPES[alg];
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (!expected.types.includes(key.asymmetricKeyType ?? '') || (expected.curve !== undefined && curve !== expected.curve))
    throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key${curve ? ` on ${curve}` : ''} cannot sign ${alg}`);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && bits < MIN_RSA_BITS) throw new Error(`a ${bits}-bit RSA key cannot sign ${alg}: at least ${MIN_RSA_BITS} bits`);
  return key;
}

/** The public JWK of a stored key, rebuilt member by member so no private member can leak. */
export function publicJwk(row: StoredSigningKey): JWK {
  // The public members of EC, RSA and OKP keys (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2).
  const { kty, crv, x, y, n, e } = row.publicJwk;
  const jwk: JWK = { kty, crv, x, y, n, e, kid: row.kid, alg: row.alg, use: 'sig' };
  for (const member of Object.keys(jwk) as (keyof JWK)[]) if (jwk[member] === undefined) delete jwk[member];
  return jwk;
}

function isLater(a: StoredSigningKey, b: StoredSigningKey): boolean {
  const byActivation = a.activatesAt.getTime() - b.activatesAt.getTime();
  return byActivation !== 0 ? byActivation > 0 : a.createdAt.getTime() > b.createdAt.getTime();
}

/** A failed import is forgotten so the next use retries it. */
function memo<K>(cache: Map<string, Promise<K>>, kid: string, create: () => Promise<K>): Promise<K> {
  const cached = cache.get(kid);
  if (cached) return cached;
  const created = create();
  cache.set(kid, created);
  created.catch(() => {
    if (cache.get(kid) === created) cache.delete(kid);
  });
  return created;
}
