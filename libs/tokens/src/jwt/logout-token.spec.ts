import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importJWK, jwtVerify } from 'jose';
import { generateSigningKey } from '../keys/key-generator.js';
import { privateKeyFor } from '../signing/tenant-key-set.js';
import { BACKCHANNEL_LOGOUT_EVENT, mintLogoutToken, type LogoutTokenClaimsInput } from './logout-token.minter.js';

const now = new Date('2026-03-01T12:00:00Z');
const input: LogoutTokenClaimsInput = {
  issuer: 'https://id.example.com/t/acme',
  audience: 'client-1',
  subject: 'user-1',
  sessionId: 'session-1',
  now,
  lifetimeSeconds: 120,
};

async function rs256() {
  const generated = await generateSigningKey('RS256');
  const signing = { kid: generated.kid, alg: 'RS256' as const, privateKey: privateKeyFor(generated.privateKeyPkcs8, 'RS256') };
  return { signing, publicKey: await importJWK(generated.publicJwk, 'RS256') };
}

describe('mintLogoutToken (OIDC Back-Channel Logout 1.0 §2.4)', () => {
  it('is typed logout+jwt and carries iss, aud, iat, exp, jti, sub, sid and the events claim', async () => {
    const { signing, publicKey } = await rs256();
    const { payload, protectedHeader } = await jwtVerify(await mintLogoutToken(signing, input), publicKey, {
      currentDate: now,
      issuer: input.issuer,
      audience: 'client-1',
      typ: 'logout+jwt',
    });
    assert.deepEqual(protectedHeader, { alg: 'RS256', kid: signing.kid, typ: 'logout+jwt' });
    const { jti, ...rest } = payload;
    assert.match(jti ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(rest, {
      iss: input.issuer,
      aud: 'client-1',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 120,
      sub: 'user-1',
      sid: 'session-1',
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
  });

  it('never carries a nonce (§2.4: it must not be mistaken for an ID token)', async () => {
    const { signing, publicKey } = await rs256();
    const { payload } = await jwtVerify(await mintLogoutToken(signing, input), publicKey, { currentDate: now });
    assert.equal('nonce' in payload, false);
  });

  it('leaves sid out when no session is named, and gets a fresh jti every time', async () => {
    const { signing, publicKey } = await rs256();
    const { sessionId: _sessionId, ...withoutSession } = input;
    const first = await jwtVerify(await mintLogoutToken(signing, withoutSession), publicKey, { currentDate: now });
    const second = await jwtVerify(await mintLogoutToken(signing, withoutSession), publicKey, { currentDate: now });
    assert.equal('sid' in first.payload, false);
    assert.equal(first.payload.sub, 'user-1');
    assert.notEqual(first.payload.jti, second.payload.jti);
  });

  it('refuses a lifetime that is not a positive whole number of seconds', async () => {
    const { signing } = await rs256();
    await assert.rejects(mintLogoutToken(signing, { ...input, lifetimeSeconds: 0 }), RangeError);
  });
});
