import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { accessTokenHash, InMemoryAssertionReplayStore } from '@gatehouse/protocol';
import { AccessTokenValidator } from './access-token-validator.js';
import { BearerError } from './bearer-error.js';

const ISSUER = 'https://id.example.test/t/system';
const AUDIENCE = 'urn:gatehouse:admin';
const RESOURCE = 'https://admin.example.test';

describe('AccessTokenValidator with DPoP (RFC 9449 §7)', () => {
  let signer: CryptoKey;
  let holder: { privateKey: CryptoKey; jwk: JWK; jkt: string };
  let validator: AccessTokenValidator;
  let bearerOnly: AccessTokenValidator;

  before(async () => {
    const issuerPair = await generateKeyPair('ES256');
    signer = issuerPair.privateKey;
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    holder = { privateKey: pair.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
    const options = { issuer: ISSUER, audience: AUDIENCE, keys: () => Promise.resolve(issuerPair.publicKey) };
    validator = new AccessTokenValidator({ ...options, dpop: { publicUrl: RESOURCE, replay: new InMemoryAssertionReplayStore() } });
    bearerOnly = new AccessTokenValidator(options);
  });

  function token(jkt: string | null): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: 'c1', scope: 'admin', ...(jkt ? { cnf: { jkt } } : {}) })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .setIssuedAt(now)
      .setJti(randomBytes(8).toString('hex'))
      .setExpirationTime(now + 300)
      .sign(signer);
  }

  function proof(claims: Record<string, unknown>, key = holder.privateKey, jwk = holder.jwk): Promise<string> {
    return new SignJWT({
      htm: 'GET',
      htu: `${RESOURCE}/admin/v1/tenants`,
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .sign(key);
  }

  const request = (authorization: string, dpop?: string) => ({ authorization, dpop, method: 'GET', path: '/admin/v1/tenants?limit=5' });
  const refused = (code: string, scheme: 'DPoP' | 'Bearer') => (error: unknown) =>
    error instanceof BearerError && error.code === code && error.status === 401 && error.wwwAuthenticate.startsWith(`${scheme} `);

  it('accepts a bound token with the DPoP scheme and a proof by its key carrying ath', async () => {
    const value = await token(holder.jkt);
    const claims = await validator.validateRequest(request(`DPoP ${value}`, await proof({ ath: accessTokenHash(value) })));
    assert.equal(claims.sub, 'user-1');
  });

  it('refuses a bound token sent as Bearer, with or without DPoP support', async () => {
    const value = await token(holder.jkt);
    await assert.rejects(validator.validateRequest(request(`Bearer ${value}`)), refused('invalid_token', 'Bearer'));
    await assert.rejects(bearerOnly.validateRequest(request(`Bearer ${value}`)), refused('invalid_token', 'Bearer'));
  });

  it('refuses a missing proof, a missing or wrong ath, another key, a replay and a wrong htu with a DPoP challenge', async () => {
    const value = await token(holder.jkt);
    const ath = accessTokenHash(value);
    await assert.rejects(validator.validateRequest(request(`DPoP ${value}`)), refused('invalid_dpop_proof', 'DPoP'));
    await assert.rejects(validator.validateRequest(request(`DPoP ${value}`, await proof({}))), refused('invalid_dpop_proof', 'DPoP'));
    await assert.rejects(
      validator.validateRequest(request(`DPoP ${value}`, await proof({ ath: accessTokenHash('x') }))),
      refused('invalid_dpop_proof', 'DPoP'),
    );
    const other = await generateKeyPair('ES256', { extractable: true });
    const otherProof = await proof({ ath }, other.privateKey, await exportJWK(other.publicKey));
    await assert.rejects(validator.validateRequest(request(`DPoP ${value}`, otherProof)), refused('invalid_dpop_proof', 'DPoP'));
    const once = await proof({ ath });
    await validator.validateRequest(request(`DPoP ${value}`, once));
    await assert.rejects(validator.validateRequest(request(`DPoP ${value}`, once)), refused('invalid_dpop_proof', 'DPoP'));
    const elsewhere = await proof({ ath, htu: 'https://evil.example.test/admin/v1/tenants' });
    await assert.rejects(validator.validateRequest(request(`DPoP ${value}`, elsewhere)), refused('invalid_dpop_proof', 'DPoP'));
  });

  it('refuses an unbound token with the DPoP scheme, and the DPoP scheme where DPoP is not configured', async () => {
    const unbound = await token(null);
    const proofFor = await proof({ ath: accessTokenHash(unbound) });
    await assert.rejects(validator.validateRequest(request(`DPoP ${unbound}`, proofFor)), refused('invalid_token', 'DPoP'));
    await assert.rejects(bearerOnly.validateRequest(request(`DPoP ${unbound}`, proofFor)), refused('invalid_token', 'DPoP'));
    assert.equal((await validator.validateRequest(request(`Bearer ${unbound}`))).sub, 'user-1');
  });
});
