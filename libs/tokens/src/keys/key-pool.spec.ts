import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GeneratedKey } from './key-generator.js';
import { SigningKeyPool } from './key-pool.js';
import type { SigningAlgorithm } from './signing-algorithm.js';

/** A generator that counts its calls and makes recognisable keys instantly. */
function countingGenerator(): { calls: SigningAlgorithm[]; generate(alg: SigningAlgorithm): Promise<GeneratedKey> } {
  const calls: SigningAlgorithm[] = [];
  return {
    calls,
    generate(alg) {
      calls.push(alg);
      const kid = `${alg}-${calls.length}`;
      return Promise.resolve({ kid, alg, publicJwk: { kid }, privateKeyPkcs8: `pkcs8-${kid}` });
    },
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'condition not reached');
};

describe('SigningKeyPool', () => {
  it('fills to its size once started, hands each key out once, and refills behind', async () => {
    const generator = countingGenerator();
    const pool = new SigningKeyPool(3, (alg) => generator.generate(alg));
    pool.start();
    await until(() => pool.available('RS256') === 3);
    const taken = await Promise.all([pool.take('RS256'), pool.take('RS256'), pool.take('RS256'), pool.take('RS256')]);
    assert.equal(new Set(taken.map((key) => key.kid)).size, 4, 'no key is handed out twice');
    assert.ok(
      taken.slice(0, 3).every((key) => ['RS256-1', 'RS256-2', 'RS256-3'].includes(key.kid)),
      'the first three came from the pool',
    );
    await until(() => pool.available('RS256') === 3);
    pool.stop();
  });

  it('generates on demand when not started, when empty, and for algorithms it does not keep (EC keys are cheap)', async () => {
    const generator = countingGenerator();
    const pool = new SigningKeyPool(5, (alg) => generator.generate(alg));
    assert.equal((await pool.take('RS256')).kid, 'RS256-1', 'not started: on demand');
    assert.equal(pool.available('RS256'), 0, 'and nothing filled behind');
    pool.start();
    assert.equal((await pool.take('ES256')).alg, 'ES256');
    assert.equal(pool.available('ES256'), 0);
    pool.stop();
  });

  it('size 0 never generates ahead', async () => {
    const generator = countingGenerator();
    const pool = new SigningKeyPool(0, (alg) => generator.generate(alg));
    pool.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(generator.calls.length, 0);
    await pool.take('RS256');
    assert.equal(generator.calls.length, 1);
  });

  it('stop drops the private keys it held', async () => {
    const generator = countingGenerator();
    const pool = new SigningKeyPool(2, (alg) => generator.generate(alg));
    pool.start();
    await until(() => pool.available('RS256') === 2);
    pool.stop();
    assert.equal(pool.available('RS256'), 0);
  });

  it('with the real generator, pooled RS256 keys are distinct 2048-bit keys whose kid is their thumbprint', async () => {
    const pool = new SigningKeyPool(2);
    pool.start();
    const [a, b] = [await pool.take('RS256'), await pool.take('RS256')];
    pool.stop();
    assert.notEqual(a.kid, b.kid);
    assert.equal(a.publicJwk['kty'], 'RSA');
    assert.equal(Buffer.from(String(a.publicJwk['n']), 'base64url').length, 256);
    assert.match(a.privateKeyPkcs8, /^-----BEGIN PRIVATE KEY-----/);
  });
});
