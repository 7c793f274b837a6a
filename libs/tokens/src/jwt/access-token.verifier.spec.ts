import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { importJWK, SignJWT, type CryptoKey } from 'jose';
import { generateSigningKey } from '../keys/key-generator.js';
import { privateKeyFor, type ActiveSigningKey } from '../signing/tenant-key-set.js';
import { mintAccessToken, type AccessTokenClaimsInput } from './access-token.minter.js';
import { verifyAccessToken, type AccessTokenVerificationOptions } from './access-token.verifier.js';
import { mintIdToken } from './id-token.minter.js';
import { TokenVerificationError, type TokenVerificationReason } from './token-verification.error.js';

const now = new Date('2026-03-01T12:00:00Z');
const issuer = 'https://id.example.com/t/acme';
const input: AccessTokenClaimsInput = {
  issuer,
  subject: 'u',
  audience: 'https://api',
  clientId: 'c',
  scope: ['a'],
  now,
  lifetimeSeconds: 600,
};

describe('verifyAccessToken refuses what RFC 9068 §4 refuses', () => {
  let es256: ActiveSigningKey;
  let rs256: ActiveSigningKey;
  let options: AccessTokenVerificationOptions;

  before(async () => {
    const publicKeys = new Map<string, CryptoKey>();
    const make = async (alg: 'ES256' | 'RS256'): Promise<ActiveSigningKey> => {
      const generated = await generateSigningKey(alg);
      publicKeys.set(generated.kid, (await importJWK(generated.publicJwk, alg)) as CryptoKey);
      return { kid: generated.kid, alg, privateKey: privateKeyFor(generated.privateKeyPkcs8, alg) };
    };
    [es256, rs256] = [await make('ES256'), await make('RS256')];
    options = { issuer, keyFor: (kid) => Promise.resolve(publicKeys.get(kid) ?? null), now, algorithms: ['ES256', 'RS256'] };
  });

  async function refused(token: string, reason: TokenVerificationReason, overrides: Partial<AccessTokenVerificationOptions> = {}) {
    await assert.rejects(verifyAccessToken(token, { ...options, ...overrides }), (error: unknown) => {
      assert.ok(error instanceof TokenVerificationError);
      assert.equal(error.reason, reason);
      return true;
    });
  }

  /** A token with a hand-written header, signed with `key`. */
  function signed(key: ActiveSigningKey, header: Record<string, string>, claims: Record<string, unknown> = {}) {
    const iat = now.getTime() / 1000;
    return new SignJWT({ iss: issuer, sub: 'u', aud: 'https://api', client_id: 'c', jti: 'j', iat, exp: iat + 60, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
      .sign(key.privateKey);
  }

  it('accepts at+jwt and application/at+jwt in any case', async () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT']) {
      assert.equal((await verifyAccessToken(await signed(es256, { typ }), options)).sub, 'u');
    }
  });

  it('refuses a wrong issuer, an expired token and a wrong audience', async () => {
    const token = await mintAccessToken(es256, input);
    await refused(token, 'wrong_issuer', { issuer: 'https://id.example.com/t/other' });
    await refused(token, 'expired', { now: new Date(now.getTime() + 600_000) });
    await refused(token, 'wrong_audience', { audience: 'https://elsewhere' });
  });

  it('refuses an ID token, or any other typ, presented as an access token', async () => {
    await refused(await mintIdToken(rs256, { issuer, subject: 'u', clientId: 'c', authTime: now, now, lifetimeSeconds: 60 }), 'wrong_typ');
    await refused(await signed(es256, { typ: 'JWT' }), 'wrong_typ');
    await refused(await signed(es256, {}), 'wrong_typ');
  });

  it('refuses an unknown or missing kid', async () => {
    await refused(await signed(es256, { typ: 'at+jwt', kid: 'unknown' }), 'unknown_kid');
    const iat = now.getTime() / 1000;
    const noKid = await new SignJWT({ iss: issuer, sub: 'u', aud: 'a', client_id: 'c', jti: 'j', iat, exp: iat + 60 })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .sign(es256.privateKey);
    await refused(noKid, 'unknown_kid');
  });

  it('refuses an algorithm outside the allow-list: HS256 with a random secret, or ES256 when only RS256 is allowed', async () => {
    const iat = now.getTime() / 1000;
    const hs256 = await new SignJWT({ iss: issuer, sub: 'u', aud: 'a', client_id: 'c', jti: 'j', iat, exp: iat + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: es256.kid, typ: 'at+jwt' })
      .sign(randomBytes(32));
    await refused(hs256, 'alg_not_allowed');
    await refused(await mintAccessToken(es256, input), 'alg_not_allowed', { algorithms: ['RS256'] });
  });

  it('refuses a forged signature, a kid naming a key of another type, a missing claim, and garbage', async () => {
    const [head, body] = (await mintAccessToken(es256, input)).split('.');
    const other = (await mintAccessToken(es256, { ...input, subject: 'someone-else' })).split('.')[2];
    await refused(`${head}.${body}.${other}`, 'bad_signature');
    await refused(await signed(es256, { typ: 'at+jwt', kid: rs256.kid }), 'key_mismatch');
    await refused(await signed(es256, { typ: 'at+jwt' }, { client_id: undefined }), 'missing_claim');
    await refused(await signed(es256, { typ: 'at+jwt' }, { client_id: 42 }), 'invalid_claim');
    await refused(await signed(es256, { typ: 'at+jwt' }, { aud: [] }), 'invalid_claim');
    await refused('not-a-jwt', 'malformed');
  });
});
