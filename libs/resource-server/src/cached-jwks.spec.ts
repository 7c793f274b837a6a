import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { CachedJwks } from './cached-jwks.js';

describe('CachedJwks', () => {
  let server: Server;
  let url: URL;
  let served: JWK[] = [];
  let fetches = 0;
  const keys: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};

  before(async () => {
    for (const kid of ['old', 'new']) {
      const pair = await generateKeyPair('ES256');
      keys[kid] = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' } };
    }
    server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (kid: string) => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setIssuedAt().sign(keys[kid]!.privateKey);

  it('fetches once, refetches for an unknown kid at most once per cooldown, and forgets a removed key after a refetch', async () => {
    let now = 0;
    const jwks = new CachedJwks(url, { cooldownMs: 30_000, cacheMaxAgeMs: 600_000, now: () => now });
    served = [keys['old']!.jwk];
    fetches = 0;
    const old = await token('old');
    await jwtVerify(old, jwks.getKey);
    await jwtVerify(old, jwks.getKey);
    assert.equal(fetches, 1, 'the second verification used the cached key');

    served = [keys['new']!.jwk];
    const rotated = await token('new');
    await assert.rejects(jwtVerify(rotated, jwks.getKey), 'within the cooldown an unknown kid does not refetch');
    assert.equal(fetches, 1);
    now += 30_000;
    await jwtVerify(rotated, jwks.getKey);
    assert.equal(fetches, 2, 'past the cooldown the unknown kid refetched the set');
    now += 30_000;
    await assert.rejects(jwtVerify(old, jwks.getKey), 'the key no longer in the set no longer verifies');

    now += 600_000;
    await jwtVerify(rotated, jwks.getKey);
    assert.equal(fetches >= 3, true, 'a stale set is fetched again');
  });

  it('a JWKS endpoint that fails is an error, not an accepted token', async () => {
    const broken = new CachedJwks(new URL('http://127.0.0.1:9/jwks'), { timeoutMs: 1000 });
    await assert.rejects(jwtVerify(await token('old'), broken.getKey));
  });
});
