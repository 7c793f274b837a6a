import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { InMemoryAssertionReplayStore } from '../client-auth/assertion-replay.store.js';
import { InvalidDpopProof, UseDpopNonce } from '../errors/dpop.errors.js';
import { TemporarilyUnavailable } from '../errors/rfc6749.errors.js';
import { singleDpopProof } from './dpop-header.js';
import { DpopNonces } from './dpop-nonce.js';
import { accessTokenHash, verifyDpopProof, type DpopProofCheck } from './dpop-proof.js';

const URL_ = 'https://id.example.test/t/acme/token';
const NOW = new Date('2026-12-05T01:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe('verifyDpopProof (RFC 9449 §4.3)', () => {
  let privateKey: CryptoKey;
  let publicJwk: JWK;
  let jkt: string;

  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = await exportJWK(pair.publicKey);
    jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
  });

  interface ProofOptions {
    typ?: string;
    alg?: string;
    jwk?: JWK;
    key?: CryptoKey | Uint8Array;
    claims?: Record<string, unknown>;
  }

  function proof(options: ProofOptions = {}): Promise<string> {
    return new SignJWT({ htm: 'POST', htu: URL_, jti: randomUUID(), iat: nowSeconds, ...options.claims })
      .setProtectedHeader({ alg: options.alg ?? 'ES256', typ: options.typ ?? 'dpop+jwt', jwk: options.jwk ?? publicJwk })
      .sign(options.key ?? privateKey);
  }

  const check = (overrides: Partial<DpopProofCheck> = {}): DpopProofCheck => ({
    method: 'POST',
    url: URL_,
    now: NOW,
    maxAgeSeconds: 60,
    replay: new InMemoryAssertionReplayStore(() => NOW),
    replayScope: 'tenant-1',
    ...overrides,
  });

  const refused = (hint: RegExp) => (error: unknown) => error instanceof InvalidDpopProof && hint.test(error.hint ?? '');

  it('accepts a valid proof and returns the RFC 7638 thumbprint of its key', async () => {
    const verified = await verifyDpopProof(await proof(), check());
    assert.equal(verified.jkt, jkt);
  });

  it('ignores the query and fragment of htu and normalizes case and default port', async () => {
    await verifyDpopProof(await proof({ claims: { htu: 'https://ID.example.test:443/t/acme/token?x=1#y' } }), check());
  });

  it('refuses a wrong htm, a wrong htu, an old or future iat', async () => {
    await assert.rejects(verifyDpopProof(await proof({ claims: { htm: 'GET' } }), check()), refused(/htm/));
    await assert.rejects(
      verifyDpopProof(await proof({ claims: { htu: 'https://id.example.test/t/other/token' } }), check()),
      refused(/htu/),
    );
    await assert.rejects(verifyDpopProof(await proof({ claims: { iat: nowSeconds - 120 } }), check()), refused(/too old/));
    await assert.rejects(verifyDpopProof(await proof({ claims: { iat: nowSeconds + 60 } }), check()), refused(/future/));
  });

  it('refuses a replayed jti within the window', async () => {
    const once = check();
    const value = await proof();
    await verifyDpopProof(value, once);
    await assert.rejects(verifyDpopProof(value, once), refused(/jti was already used/));
  });

  it('fails closed when the replay cache cannot answer', async () => {
    const broken = check({ replay: { markUsed: () => Promise.reject(new Error('redis down')) } });
    await assert.rejects(verifyDpopProof(await proof(), broken), (error: unknown) => error instanceof TemporarilyUnavailable);
  });

  it('refuses another typ, alg none, HS256, private key material and a signature by another key', async () => {
    await assert.rejects(verifyDpopProof(await proof({ typ: 'JWT' }), check()), refused(/typ/));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: publicJwk })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ htm: 'POST', htu: URL_, jti: 'x', iat: nowSeconds }),
    ).toString('base64url')}.`;
    await assert.rejects(verifyDpopProof(unsigned, check()), refused(/not a JWS|alg/));
    const secret = new Uint8Array(32).fill(7);
    await assert.rejects(
      verifyDpopProof(await proof({ alg: 'HS256', key: secret, jwk: { kty: 'oct', k: 'AAAA' } }), check()),
      refused(/alg/),
    );
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    await assert.rejects(verifyDpopProof(await proof({ jwk: privateJwk, key: pair.privateKey }), check()), refused(/public key only/));
    await assert.rejects(verifyDpopProof(await proof({ key: pair.privateKey }), check()), refused(/signature/));
  });

  it('checks ath against the presented access token', async () => {
    const token = 'eyJ.access.token';
    await verifyDpopProof(await proof({ claims: { ath: accessTokenHash(token) } }), check({ accessToken: token }));
    await assert.rejects(verifyDpopProof(await proof(), check({ accessToken: token })), refused(/ath/));
    await assert.rejects(
      verifyDpopProof(await proof({ claims: { ath: accessTokenHash('other') } }), check({ accessToken: token })),
      refused(/ath/),
    );
  });

  it('asks for a nonce with use_dpop_nonce and the nonce to use, then accepts it', async () => {
    const nonces = new DpopNonces(new Uint8Array(32).fill(1), () => NOW);
    const nonce = { isValid: (value: string | undefined) => nonces.isValid('t', value), current: () => nonces.current('t') };
    await assert.rejects(verifyDpopProof(await proof(), check({ nonce })), (error: unknown) => {
      return error instanceof UseDpopNonce && error.nonce === nonces.current('t') && error.headers?.['dpop-nonce'] === error.nonce;
    });
    await verifyDpopProof(await proof({ claims: { nonce: nonces.current('t') } }), check({ nonce }));
  });
});

describe('DpopNonces', () => {
  it('accepts the current and the previous window, per scope', () => {
    let now = new Date('2026-12-05T01:00:00Z');
    const nonces = new DpopNonces(new Uint8Array(32).fill(2), () => now, 300);
    const first = nonces.current('a');
    assert.ok(nonces.isValid('a', first));
    assert.ok(!nonces.isValid('b', first));
    now = new Date(now.getTime() + 300_000);
    assert.ok(nonces.isValid('a', first));
    now = new Date(now.getTime() + 300_000);
    assert.ok(!nonces.isValid('a', first));
    assert.ok(!nonces.isValid('a', undefined));
  });
});

describe('singleDpopProof', () => {
  it('takes exactly one compact JWS', () => {
    assert.equal(singleDpopProof('a.b.c'), 'a.b.c');
    assert.throws(() => singleDpopProof(undefined), InvalidDpopProof);
    assert.throws(() => singleDpopProof('a.b.c, d.e.f'), InvalidDpopProof);
    assert.throws(() => singleDpopProof(['a.b.c', 'd.e.f']), InvalidDpopProof);
  });
});
