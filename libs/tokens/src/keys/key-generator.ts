import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import type { SigningAlgorithm } from './signing-algorithm.js';

export interface GeneratedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: JWK;
  readonly privateKeyPkcs8: string;
}

/** A fresh key pair; `kid` is the RFC 7638 SHA-256 thumbprint of the public key. */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    modulusLength: 2048,
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
  });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  const publicJwk: JWK = { ...exported, kid, alg, use: 'sig' };
  return { kid, alg, publicJwk, privateKeyPkcs8: await exportPKCS8(privateKey) };
}
