import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculateJwkThumbprint, CompactSign, compactVerify, importJWK, importPKCS8 } from 'jose';
import { generateSigningKey } from './key-generator.js';
import { SIGNING_ALGORITHMS, requiredAlgorithms } from './signing-algorithm.js';

describe('generateSigningKey', () => {
  for (const alg of SIGNING_ALGORITHMS) {
    it(`${alg}: public JWK only, kid is the RFC 7638 thumbprint, the pair signs and verifies`, async () => {
      const key = await generateSigningKey(alg);
      assert.equal(key.publicJwk.alg, alg);
      assert.equal(key.publicJwk.use, 'sig');
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(member in key.publicJwk, false);
      const { kid: _kid, alg: _alg, use: _use, ...bare } = key.publicJwk;
      assert.equal(key.kid, await calculateJwkThumbprint(bare, 'sha256'));
      const jws = await new CompactSign(new TextEncoder().encode('payload'))
        .setProtectedHeader({ alg, kid: key.kid })
        .sign(await importPKCS8(key.privateKeyPkcs8, alg));
      const verified = await compactVerify(jws, await importJWK(key.publicJwk, alg));
      assert.equal(new TextDecoder().decode(verified.payload), 'payload');
    });
  }

  it('every tenant keeps an RS256 key beside its access-token algorithm', () => {
    assert.deepEqual(requiredAlgorithms('ES256'), ['ES256', 'RS256']);
    assert.deepEqual(requiredAlgorithms('RS256'), ['RS256']);
  });
});
