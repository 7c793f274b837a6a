import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AccessTokenValidator, bearerTokenFrom } from './access-token-validator.js';
import { BearerError } from './bearer-error.js';

const ISSUER = 'https://id.example.test/t/system';
const AUDIENCE = 'urn:gatehouse:admin';

describe('AccessTokenValidator', () => {
  let privateKey: CryptoKey;
  let validator: AccessTokenValidator;
  before(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    validator = new AccessTokenValidator({ issuer: ISSUER, audience: AUDIENCE, keys: () => Promise.resolve(pair.publicKey) });
  });

  async function token(
    overrides: { iss?: string; aud?: string; typ?: string; exp?: number; key?: CryptoKey | Uint8Array; alg?: string } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: 'c1', scope: 'admin' })
      .setProtectedHeader({ alg: overrides.alg ?? 'ES256', typ: overrides.typ ?? 'at+jwt', kid: 'k' })
      .setIssuer(overrides.iss ?? ISSUER)
      .setAudience(overrides.aud ?? AUDIENCE)
      .setSubject('user-1')
      .setIssuedAt(now)
      .setJti(randomBytes(8).toString('hex'))
      .setExpirationTime(overrides.exp ?? now + 300)
      .sign(overrides.key ?? privateKey);
  }

  const refusal = (code: string) => (error: unknown) =>
    error instanceof BearerError &&
    error.code === code &&
    error.status === 401 &&
    /^Bearer error="invalid_token"/.test(error.wwwAuthenticate);

  it('refuses a certificate-bound token (cnf x5t#S256) without that certificate (RFC 8705 §3)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { X509Certificate } = await import('node:crypto');
    const { certificateThumbprint } = await import('@gatehouse/protocol');
    const selfSigned = () =>
      new X509Certificate(
        execFileSync(
          '/usr/bin/openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-keyout',
            '/dev/null',
            '-subj',
            '/CN=c1',
            '-days',
            '1',
          ],
          { stdio: ['ignore', 'pipe', 'ignore'] },
        ),
      );
    const mine = selfSigned();
    const now = Math.floor(Date.now() / 1000);
    const bound = await new SignJWT({ client_id: 'c1', cnf: { 'x5t#S256': certificateThumbprint(mine) } })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('c1')
      .setIssuedAt(now)
      .setJti(randomBytes(8).toString('hex'))
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const request = { authorization: `Bearer ${bound}`, method: 'GET', path: '/' };
    assert.equal((await validator.validateRequest({ ...request, certificate: mine })).sub, 'c1');
    await assert.rejects(validator.validateRequest(request), refusal('invalid_token'));
    await assert.rejects(validator.validateRequest({ ...request, certificate: selfSigned() }), refusal('invalid_token'));
  });

  it('accepts a valid RFC 9068 token and returns its claims', async () => {
    const claims = await validator.validate(await token());
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims.scope, 'admin');
  });

  it('refuses another issuer, another audience, an expired token, a non-access token and HS256', async () => {
    const now = Math.floor(Date.now() / 1000);
    await assert.rejects(validator.validate(await token({ iss: 'https://evil.example.test' })), refusal('invalid_token'));
    await assert.rejects(validator.validate(await token({ aud: 'https://other-api.example.test' })), refusal('invalid_token'));
    await assert.rejects(validator.validate(await token({ exp: now - 60 })), refusal('invalid_token'));
    await assert.rejects(validator.validate(await token({ typ: 'JWT' })), refusal('invalid_token'));
    await assert.rejects(validator.validate(await token({ alg: 'HS256', key: randomBytes(32) })), refusal('invalid_token'));
    await assert.rejects(validator.validate('garbage'), refusal('invalid_token'));
  });

  it('a token signed by a trusted key for another issuer says which issuer this is (a PUBLIC_URL mismatch); a forged one does not', async () => {
    await assert.rejects(
      validator.validate(await token({ iss: 'http://localhost:3000/t/system' })),
      (error: unknown) => error instanceof BearerError && error.message.includes(`this one is ${ISSUER} (check PUBLIC_URL)`),
    );
    const stranger = (await generateKeyPair('ES256')).privateKey;
    await assert.rejects(
      validator.validate(await token({ iss: 'http://localhost:3000/t/system', key: stranger })),
      (error: unknown) => error instanceof BearerError && !error.message.includes(ISSUER),
    );
  });

  it('asks the standing hook after the signature: null refuses (invalid_token), claims it returns are what the caller gets', async () => {
    const pair = await generateKeyPair('ES256');
    const revoked = new Set<string>();
    const seen: string[] = [];
    const standing = new AccessTokenValidator({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: () => Promise.resolve(pair.publicKey),
      standing: (claims) => {
        seen.push(String(claims.jti));
        return Promise.resolve(revoked.has(String(claims.jti)) ? null : { ...claims, scope: 'narrowed' });
      },
    });
    const value = await token({ key: pair.privateKey });
    assert.equal((await standing.validate(value)).scope, 'narrowed');
    revoked.add(seen[0] ?? '');
    await assert.rejects(standing.validate(value), refusal('invalid_token'));
    // A token that fails verification never reaches the hook.
    await assert.rejects(
      standing.validate(await token({ iss: 'https://evil.example.test', key: pair.privateKey })),
      refusal('invalid_token'),
    );
    assert.equal(seen.length, 2);
  });

  it('reads the bearer token from the Authorization header per RFC 6750', () => {
    assert.equal(bearerTokenFrom('Bearer abc.def.ghi'), 'abc.def.ghi');
    assert.throws(
      () => bearerTokenFrom(undefined),
      (error: unknown) => error instanceof BearerError && error.code === null && error.wwwAuthenticate === 'Bearer',
    );
    assert.throws(
      () => bearerTokenFrom('Basic xyz'),
      (error: unknown) => error instanceof BearerError && error.code === 'invalid_request' && error.status === 400,
    );
  });
});
