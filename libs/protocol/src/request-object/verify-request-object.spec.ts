import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { verifyRequestObject, type RequestObjectClient } from './verify-request-object.js';

const ISSUER = 'https://id.example.test/t/acme';
const NOW = new Date('2026-12-05T00:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe('verifyRequestObject', () => {
  let key: CryptoKey;
  let client: RequestObjectClient;
  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    client = { clientId: 'c1', jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), alg: 'ES256' }] }, requestObjectSigningAlg: null };
  });

  const sign = (claims: Record<string, unknown>, typ = 'oauth-authz-req+jwt') =>
    new SignJWT({ iss: 'c1', aud: ISSUER, exp: nowSeconds + 60, ...claims }).setProtectedHeader({ alg: 'ES256', typ }).sign(key);

  it('its claims become string parameters, framing claims dropped, client_id set', async () => {
    const result = await verifyRequestObject(await sign({ scope: 'openid', max_age: 300, jti: 'x', iat: nowSeconds }), client, ISSUER, NOW);
    assert.deepEqual(result, { ok: true, params: { scope: 'openid', max_age: '300', client_id: 'c1' } });
  });

  it('refuses another algorithm than the registered one', async () => {
    const result = await verifyRequestObject(await sign({}), { ...client, requestObjectSigningAlg: 'PS256' }, ISSUER, NOW);
    assert.equal(result.ok, false);
  });

  it('refuses encrypted, typed-otherwise, object-valued and keyless cases', async () => {
    assert.equal((await verifyRequestObject('a.b.c.d.e', client, ISSUER, NOW)).ok, false);
    assert.equal((await verifyRequestObject(await sign({}, 'JWT+at'), client, ISSUER, NOW)).ok, false);
    assert.equal((await verifyRequestObject(await sign({ claims: { userinfo: {} } }), client, ISSUER, NOW)).ok, false);
    assert.equal((await verifyRequestObject(await sign({}), { ...client, jwks: null }, ISSUER, NOW)).ok, false);
  });

  it('refuses an iat in the future and an exp past the hour', async () => {
    assert.equal((await verifyRequestObject(await sign({ iat: nowSeconds + 600 }), client, ISSUER, NOW)).ok, false);
    assert.equal((await verifyRequestObject(await sign({ exp: nowSeconds + 3_700 }), client, ISSUER, NOW)).ok, false);
    assert.equal((await verifyRequestObject(await sign({ exp: nowSeconds + 3_600 }), client, ISSUER, NOW)).ok, true);
  });
});
