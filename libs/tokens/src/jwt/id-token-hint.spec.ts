import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { importJWK, SignJWT, type CryptoKey } from 'jose';
import { generateSigningKey } from '../keys/key-generator.js';
import { privateKeyFor, type ActiveSigningKey } from '../signing/tenant-key-set.js';
import { mintAccessToken } from './access-token.minter.js';
import { verifyIdTokenHint, type IdTokenHintVerificationOptions } from './id-token-hint.verifier.js';
import { mintIdToken, type IdTokenClaimsInput } from './id-token.minter.js';
import { mintLogoutToken } from './logout-token.minter.js';

const issuer = 'https://id.example.com/t/acme';
const issuedAt = new Date('2026-03-01T12:00:00Z');
const idToken: IdTokenClaimsInput = {
  issuer,
  subject: 'user-1',
  clientId: 'client-1',
  authTime: issuedAt,
  sessionId: 'session-1',
  now: issuedAt,
  lifetimeSeconds: 300,
};

describe('verifyIdTokenHint (OIDC RP-Initiated Logout 1.0 §2)', () => {
  let rs256: ActiveSigningKey;
  let es256: ActiveSigningKey;
  let stranger: ActiveSigningKey;
  let options: IdTokenHintVerificationOptions;

  before(async () => {
    const publicKeys = new Map<string, CryptoKey>();
    const make = async (alg: 'ES256' | 'RS256', publish: boolean): Promise<ActiveSigningKey> => {
      const generated = await generateSigningKey(alg);
      if (publish) publicKeys.set(generated.kid, (await importJWK(generated.publicJwk, alg)) as CryptoKey);
      return { kid: generated.kid, alg, privateKey: privateKeyFor(generated.privateKeyPkcs8, alg) };
    };
    [rs256, es256, stranger] = [await make('RS256', true), await make('ES256', true), await make('RS256', false)];
    options = { issuer, keyFor: (kid) => Promise.resolve(publicKeys.get(kid) ?? null), algorithms: ['RS256', 'ES256'] };
  });

  it('returns sub, aud as a list and sid of one of our ID tokens', async () => {
    assert.deepEqual(await verifyIdTokenHint(await mintIdToken(rs256, idToken), options), {
      sub: 'user-1',
      aud: ['client-1'],
      sid: 'session-1',
    });
    const { sessionId: _sessionId, ...withoutSid } = idToken;
    assert.deepEqual(await verifyIdTokenHint(await mintIdToken(es256, withoutSid), options), { sub: 'user-1', aud: ['client-1'] });
  });

  it('accepts an ID token that expired long ago: the hint may be expired', async () => {
    const old = await mintIdToken(rs256, { ...idToken, now: new Date('2020-01-01T00:00:00Z'), lifetimeSeconds: 60 });
    assert.equal((await verifyIdTokenHint(old, options))?.sub, 'user-1');
  });

  it('keeps every audience of a multi-audience token', async () => {
    const iat = issuedAt.getTime() / 1000;
    const token = await new SignJWT({ iss: issuer, sub: 'u', aud: ['a', 'b'], iat, exp: iat + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: rs256.kid, typ: 'JWT' })
      .sign(rs256.privateKey);
    assert.deepEqual((await verifyIdTokenHint(token, options))?.aud, ['a', 'b']);
  });

  it('refuses another issuer, an unknown key, a tampered payload or signature, and garbage', async () => {
    const token = await mintIdToken(rs256, idToken);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' }));
    const refused = [
      await mintIdToken(rs256, { ...idToken, issuer: 'https://id.example.com/t/other' }),
      await mintIdToken(stranger, idToken),
      `${header}.${forged.toString('base64url')}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
      'not-a-jwt',
      '',
    ];
    for (const hint of refused) assert.equal(await verifyIdTokenHint(hint, options), null, hint);
  });

  it('refuses an algorithm outside the list, and alg none', async () => {
    assert.equal(await verifyIdTokenHint(await mintIdToken(es256, idToken), { ...options, algorithms: ['RS256'] }), null);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: rs256.kid })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: issuer, sub: 'u', aud: 'client-1' }),
    ).toString('base64url')}.`;
    assert.equal(await verifyIdTokenHint(unsigned, options), null);
  });

  it('refuses our access tokens and logout tokens: explicit typing (RFC 8725 §3.11)', async () => {
    const access = await mintAccessToken(rs256, {
      issuer,
      subject: 'user-1',
      audience: 'client-1',
      clientId: 'client-1',
      scope: ['openid'],
      now: issuedAt,
      lifetimeSeconds: 60,
    });
    const logout = await mintLogoutToken(rs256, { issuer, audience: 'client-1', subject: 'user-1', now: issuedAt, lifetimeSeconds: 60 });
    assert.equal(await verifyIdTokenHint(access, options), null);
    assert.equal(await verifyIdTokenHint(logout, options), null);
  });

  it('refuses a token without sub or aud', async () => {
    for (const claims of [{ aud: 'client-1' }, { sub: 'u' }, { sub: 'u', aud: [] }, { sub: 'u', aud: 'client-1', sid: 7 }]) {
      const token = await new SignJWT({ iss: issuer, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: rs256.kid, typ: 'JWT' })
        .sign(rs256.privateKey);
      assert.equal(await verifyIdTokenHint(token, options), null, JSON.stringify(claims));
    }
  });

  it('lets a failing key lookup propagate instead of calling the hint invalid', async () => {
    const failing = { ...options, keyFor: () => Promise.reject(new Error('database down')) };
    await assert.rejects(verifyIdTokenHint(await mintIdToken(rs256, idToken), failing), /database down/);
  });
});
