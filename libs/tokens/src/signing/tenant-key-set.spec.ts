import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateSigningKey } from '../keys/key-generator.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../keys/signing-algorithm.js';
import { privateKeyFor } from './tenant-key-set.js';

const RSA: readonly SigningAlgorithm[] = ['RS256', 'PS256'];

describe('privateKeyFor: a stored PKCS #8 key as the node:crypto key the signer uses', () => {
  it('takes each algorithm’s own key, and refuses one made for another algorithm', async () => {
    const generated = new Map<SigningAlgorithm, string>();
    for (const alg of SIGNING_ALGORITHMS) generated.set(alg, (await generateSigningKey(alg)).privateKeyPkcs8);
    for (const alg of SIGNING_ALGORITHMS) {
      const key = privateKeyFor(generated.get(alg) ?? '', alg);
      assert.equal(key.type, 'private');
      for (const other of SIGNING_ALGORITHMS) {
        // RS256 and PS256 both sign with an RSA key.
        if (other === alg || (RSA.includes(alg) && RSA.includes(other))) continue;
        assert.throws(() => privateKeyFor(generated.get(alg) ?? '', other), /cannot sign/, `${alg}'s key for ${other}`);
      }
    }
  });

  it('refuses an EC key on a curve ES256 does not use', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => privateKeyFor(pem, 'ES256'), /ec key on secp384r1 cannot sign ES256/);
  });

  it('refuses an RSA key under 2048 bits and an Ed448 key (EdDSA here is Ed25519)', () => {
    const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    assert.throws(() => privateKeyFor(pem(short), 'RS256'), /1024-bit RSA key cannot sign RS256/);
    assert.throws(() => privateKeyFor(pem(generateKeyPairSync('ed448').privateKey), 'EdDSA'), /ed448 key cannot sign EdDSA/);
  });
});
